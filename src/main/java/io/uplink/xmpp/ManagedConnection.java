package io.uplink.xmpp;

/**
 * A connection slot an operator can act on, through JMX. Both operations return at once; the slot
 * does the work on the container's scheduler. Thread-safe.
 */
public interface ManagedConnection extends ConnectionView {

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
