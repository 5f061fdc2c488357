package io.uplink.monitoring;

/**
 * One sender's share of the connection pool, published as {@code uplink:type=Sender,id=<sender
 * id>}: how many of its connections are up, and their traffic summed; for a sender that sends
 * through FCM's HTTP v1 API, its requests in flight beside their bound. Values are read live.
 */
public interface SenderMXBean {

  String getSenderId();

  /** Connections configured for this sender ({@code uplink.ccs.connections}). */
  int getConfiguredConnections();

  /** Connections authenticated right now. */
  int getConnectedConnections();

  /**
   * Downstream messages sent and not yet answered, over all its connections, or its HTTP v1
   * requests in flight.
   */
  int getPendingDownstream();

  /** {@code ccs} or {@code http-v1}: how its downstream messages are sent. */
  String getDownstreamTransport();

  /** HTTP v1 requests waiting for FCM's answer now; 0 for a sender on CCS. */
  int getHttpV1InFlight();

  /** The bound on HTTP v1 requests in flight ({@code http-v1.max-in-flight}); 0 on CCS. */
  int getHttpV1MaxInFlight();

  long getUpstreamReceived();

  long getDownstreamSent();
}
