package io.uplink.admin;

import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import io.uplink.downstream.DownstreamCounters;
import io.uplink.stats.RecentMessages;
import io.uplink.upstream.UpstreamCounters;
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

/**
 * {@code GET /uplink/api/status}: the gateway's state in one JSON document, polled by the dashboard
 * and handy for scripts. Reads live counters only; admins only. Thread-safe.
 */
@Path("status")
@ApplicationScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

  @Inject CcsSettings ccs;
  @Inject ConnectionPool pool;
  @Inject UpstreamCounters upstream;
  @Inject UpstreamPipeline pipeline;
  @Inject DownstreamCounters downstream;
  @Inject RecentMessages recent;

  @GET
  public GatewayStatus status() {
    return new GatewayStatus(
        Instant.now(),
        new GatewayStatus.Upstream(
            upstream.received(),
            upstream.delivered(),
            upstream.duplicates(),
            upstream.rejected(),
            upstream.acked(),
            upstream.deadLettered(),
            upstream.observerFailures(),
            upstream.errors(),
            pipeline.backlog(),
            pipeline.isPaused(),
            upstream.receiveToAck()),
        new GatewayStatus.Downstream(
            downstream.sent(),
            downstream.acked(),
            downstream.nacked(),
            downstream.retried(),
            downstream.failed(),
            downstream.pending(),
            downstream.receipts(),
            downstream.sendToAck()),
        ccs.senders().stream().map(this::sender).toList(),
        recent.latest());
  }

  private GatewayStatus.Sender sender(SenderSettings sender) {
    List<ManagedConnection> connections = pool.connections(sender.senderId());
    return new GatewayStatus.Sender(
        sender.senderId(),
        sender.connections(),
        pool.connectedCount(sender.senderId()),
        connections.stream().map(StatusResource::connection).toList());
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
