package io.uplink.admin;

import io.uplink.stats.LatencySnapshot;
import io.uplink.stats.RecentMessage;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /uplink/api/status} answers, and what the dashboard draws: totals, latencies, the
 * connections of every sender and the latest messages, tokens abbreviated. Immutable.
 */
public record GatewayStatus(
    Instant at,
    Upstream upstream,
    Downstream downstream,
    List<Sender> senders,
    List<RecentMessage> recent) {

  /** Upstream totals since deployment. */
  public record Upstream(
      long received,
      long delivered,
      long duplicates,
      long rejected,
      long acked,
      long deadLettered,
      long observerFailures,
      long errors,
      int backlog,
      boolean paused,
      LatencySnapshot receiveToAck) {}

  /** Downstream totals since deployment. */
  public record Downstream(
      long sent,
      long acked,
      long nacked,
      long retried,
      long failed,
      long pending,
      long receipts,
      LatencySnapshot sendToAck) {}

  /**
   * One sender's connections, and how it sends downstream: {@code ccs}, or {@code http-v1} with its
   * requests in flight and their bound (null for {@code ccs}); why its sends pause, null while they
   * do not.
   */
  public record Sender(
      String senderId,
      int configured,
      int connected,
      List<Connection> connections,
      String downstream,
      Integer httpV1InFlight,
      Integer httpV1MaxInFlight,
      String pausedBecause) {}

  /** One connection slot. */
  public record Connection(
      int index,
      String state,
      Instant connectedSince,
      Instant lastActivity,
      int pendingDownstream,
      long upstream,
      long downstream,
      int draining) {}
}
