package io.uplink.monitoring;

/**
 * One connection slot, published as {@code uplink:type=Connection,sender=<id>,name=<n>}. Values are
 * read live.
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
}
