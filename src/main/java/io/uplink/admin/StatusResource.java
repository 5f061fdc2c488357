package io.uplink.admin;

import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import io.uplink.downstream.SenderPauses;
import io.uplink.httpv1.HttpV1Transport;
import io.uplink.stats.CountersSnapshot;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Latency;
import io.uplink.stats.RecentMessages;
import io.uplink.stats.Total;
import io.uplink.upstream.UpstreamPipeline;
import io.uplink.xmpp.ConnectionPool;
import io.uplink.xmpp.ConnectionStatus;
import io.uplink.xmpp.ManagedConnection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code GET /uplink/api/status}: the gateway's state in one JSON document, polled by the dashboard
 * and handy for scripts. Reads one snapshot of the counters; admins only. Thread-safe.
 */
@Path("status")
@ApplicationScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

  @Inject CcsSettings ccs;
  @Inject ConnectionPool pool;
  @Inject HttpV1Transport httpV1;
  @Inject SenderPauses pauses;
  @Inject GatewayCounters counters;
  @Inject UpstreamPipeline pipeline;
  @Inject RecentMessages recent;

  @GET
  public GatewayStatus status() {
    CountersSnapshot totals = counters.snapshot();
    return new GatewayStatus(
        Instant.now(),
        new GatewayStatus.Upstream(
            totals.total(Total.UPSTREAM_RECEIVED),
            totals.total(Total.UPSTREAM_DELIVERED),
            totals.total(Total.UPSTREAM_DUPLICATES),
            totals.total(Total.UPSTREAM_REJECTED),
            totals.total(Total.UPSTREAM_ACKED),
            totals.total(Total.UPSTREAM_DEAD_LETTERED),
            totals.total(Total.UPSTREAM_OBSERVER_FAILURES),
            totals.total(Total.UPSTREAM_ERRORS),
            pipeline.backlog(),
            pipeline.isPaused(),
            counters.lastMinute(Latency.UPSTREAM_RECEIVE_TO_ACK)),
        new GatewayStatus.Downstream(
            totals.total(Total.DOWNSTREAM_SENT),
            totals.total(Total.DOWNSTREAM_ACKED),
            totals.total(Total.DOWNSTREAM_NACKED),
            totals.total(Total.DOWNSTREAM_RETRIED),
            totals.total(Total.DOWNSTREAM_FAILED),
            totals.downstreamPending(),
            totals.total(Total.DOWNSTREAM_RECEIPTS),
            counters.lastMinute(Latency.DOWNSTREAM_SEND_TO_ACK)),
        ccs.senders().stream().map(this::sender).toList(),
        recent.latest());
  }

  private GatewayStatus.Sender sender(SenderSettings sender) {
    List<ManagedConnection> connections = pool.connections(sender.senderId());
    return new GatewayStatus.Sender(
        sender.senderId(),
        sender.connections(),
        pool.connectedCount(sender.senderId()),
        connections.stream().map(StatusResource::connection).toList(),
        sender.downstreamTransport(),
        boxed(httpV1.inFlight(sender.senderId())),
        boxed(httpV1.maxInFlight(sender.senderId())),
        pauses.of(sender.senderId()).reason().orElse(null));
  }

  private static Integer boxed(OptionalInt value) {
    return value.isPresent() ? value.getAsInt() : null;
  }

  private static GatewayStatus.Connection connection(ManagedConnection connection) {
    ConnectionStatus status = connection.status();
    return new GatewayStatus.Connection(
        connection.index(),
        status.state().name(),
        status.connectedSince().orElse(null),
        status.lastActivity().orElse(null),
        status.pendingDownstream(),
        status.upstreamReceived(),
        status.downstreamSent(),
        status.drainingStreams());
  }
}
