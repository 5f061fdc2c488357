package io.uplink.monitoring;

/**
 * One of the pool's connections, published as {@code uplink:type=Connection,sender=<id>,name=<n>}.
 * Values are read live; the operations return at once and act on the container's scheduler.
 */
public interface ConnectionMXBean {

  String getSenderId();

  /** CONNECTING, CONNECTED, BACKING_OFF or CLOSED. */
  String getState();

  /** ISO-8601 instant the current stream authenticated, or empty while not connected. */
  String getConnectedSince();

  int getDrainingConnections();

  /** Downstream messages sent on the current stream and not yet answered (at most 100). */
  int getPendingDownstream();

  int getFailedAttempts();

  /** ISO-8601 instant a stanza last went in or out, or empty before the first. */
  String getLastActivity();

  /** Upstream messages read on this connection, rejected ones included. */
  long getUpstreamReceived();

  /** Downstream stanzas written on this connection, resends included. */
  long getDownstreamSent();

  /**
   * Closes the current stream and opens a new one at once (or retries at once while backing off).
   */
  void reconnect();

  /**
   * Opens a replacement stream first, then closes the current one once CCS answered what it had
   * pending.
   */
  void drain();
}
