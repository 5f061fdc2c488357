package io.uplink.monitoring;

/**
 * One sender's share of the connection pool, published as {@code uplink:type=Sender,id=<sender
 * id>}: how many of its connections are up, and their traffic summed. Values are read live.
 */
public interface SenderMXBean {

  String getSenderId();

  /** Connections configured for this sender ({@code uplink.ccs.connections}). */
  int getConfiguredConnections();

  /** Connections authenticated right now. */
  int getConnectedConnections();

  /** Downstream messages sent and not yet answered, over all its connections. */
  int getPendingDownstream();

  long getUpstreamReceived();

  long getDownstreamSent();
}
