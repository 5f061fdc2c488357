package io.uplink.monitoring;

/**
 * One sender's share of the connection pool, published as {@code uplink:type=Sender,id=<sender
 * id>}: how many of its connections are up, and their traffic summed; for a sender that sends
 * through FCM's HTTP v1 API, its requests in flight beside their bound; why its sends pause, while
 * they do. Values are read live.
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

  /**
   * Downstream messages of the sender accepted or adopted by this instance and not yet at an end:
   * what {@code uplink.downstream.max-pending} bounds.
   */
  long getDownstreamBacklog();

  /**
   * How many of them memory holds (queued, being written, awaiting an answer, or ending): at most
   * {@code uplink.downstream.memory-window} queued, the rest wait in the outbox.
   */
  int getDownstreamInMemory();

  /** {@code ccs} or {@code http-v1}: how its downstream messages are sent. */
  String getDownstreamTransport();

  /** HTTP v1 requests waiting for FCM's answer now; 0 for a sender on CCS. */
  int getHttpV1InFlight();

  /** The bound on HTTP v1 requests in flight ({@code http-v1.max-in-flight}); 0 on CCS. */
  int getHttpV1MaxInFlight();

  /**
   * Why the sender's sends pause (CCS or FCM unavailable, over quota, its credentials refused, no
   * answer), from the first such answer until one shows it served again; empty while it sends.
   */
  String getPauseReason();

  /** How long the current pause still lasts before a probe goes, in milliseconds; 0 if none. */
  long getPauseLeftMillis();

  long getUpstreamReceived();

  long getDownstreamSent();
}
