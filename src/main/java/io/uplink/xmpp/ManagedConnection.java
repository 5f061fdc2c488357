package io.uplink.xmpp;

/**
 * One connection of the pool as the rest of the gateway sees it: who it belongs to, what it is
 * doing, and what an operator can do to it (through JMX). Both operations return at once; the
 * connection does the work on the container's scheduler. Thread-safe.
 */
public interface ManagedConnection {

  /** The CCS sender ID this connection authenticates as. */
  String senderId();

  /** The connection's number within its sender, stable across reconnects. */
  int index();

  /** What it is doing now. */
  ConnectionStatus status();

  /**
   * Closes the current stream and opens a new one at once, or tries again at once while backing
   * off. Downstream messages the closed stream had unanswered are sent again; upstream messages it
   * had not acked are redelivered by CCS and de-duplicated.
   */
  void reconnect();

  /**
   * Retires the current stream gently: it takes no new downstream messages, a replacement opens,
   * and once that replacement is authenticated the old stream closes after CCS answered what it had
   * pending (at most {@code uplink.ccs.drain-timeout}).
   */
  void drain();
}
