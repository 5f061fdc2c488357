package io.uplink.monitoring;

import io.uplink.downstream.DownstreamCounters;
import io.uplink.retention.RetentionPurge;
import io.uplink.stats.LatencySnapshot;
import io.uplink.upstream.UpstreamCounters;
import io.uplink.upstream.UpstreamPipeline;
import io.uplink.xmpp.ConnectionState;
import io.uplink.xmpp.ManagedConnection;
import io.uplink.xmpp.SlotLifecycleListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Publishes the figures of the MXBeans through MicroProfile Metrics, which Payara serves in
 * Prometheus form at {@code /metrics}: totals as {@code uplink_upstream_*} and {@code
 * uplink_downstream_*}, latency quantiles of the last minute in seconds, and each connection's
 * state and traffic tagged with its sender and number. Totals are gauges over the gateway's own
 * counters (MicroProfile Metrics 5 has no counter backed by a function); they only grow while the
 * application is deployed, so {@code rate()} applies. Thread-safe.
 */
@ApplicationScoped
public class GatewayMetrics implements SlotLifecycleListener {

  private static final List<Quantile> QUANTILES =
      List.of(
          new Quantile("0.5", LatencySnapshot::p50Millis),
          new Quantile("0.9", LatencySnapshot::p90Millis),
          new Quantile("0.99", LatencySnapshot::p99Millis),
          new Quantile("0.999", LatencySnapshot::p999Millis));

  @Inject MetricRegistry registry;
  @Inject UpstreamCounters upstream;
  @Inject UpstreamPipeline pipeline;
  @Inject DownstreamCounters downstream;
  @Inject RetentionPurge purge;

  void publish(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    total(
        "uplink.upstream.received",
        "Upstream messages read, duplicates and rejects included",
        upstream::received);
    total(
        "uplink.upstream.delivered",
        "Upstream messages delivered to observers and committed",
        upstream::delivered);
    total("uplink.upstream.duplicates", "Redeliveries acked without firing", upstream::duplicates);
    total("uplink.upstream.rejected", "Upstream stanzas rejected as invalid", upstream::rejected);
    total("uplink.upstream.acked", "Upstream acks written", upstream::acked);
    total(
        "uplink.upstream.dead.lettered",
        "Upstream messages parked in the dead-letter table",
        upstream::deadLettered);
    total(
        "uplink.upstream.observer.failures",
        "Delivery attempts an observer failed",
        upstream::observerFailures);
    total("uplink.upstream.errors", "Delivery attempts that failed otherwise", upstream::errors);
    total(
        "uplink.upstream.not.queued",
        "Upstream messages left unacked on arrival: a copy still queued, or a full lane",
        upstream::notQueued);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.upstream.backlog")
            .withDescription("Upstream messages queued for delivery")
            .build(),
        pipeline::backlog);
    total(
        "uplink.downstream.sent", "Downstream stanzas written, resends included", downstream::sent);
    total("uplink.downstream.acked", "Downstream messages CCS acked", downstream::acked);
    total("uplink.downstream.nacked", "Downstream nacks received", downstream::nacked);
    total("uplink.downstream.retried", "Downstream retries after a nack", downstream::retried);
    total("uplink.downstream.failed", "Downstream sends that failed for good", downstream::failed);
    total(
        "uplink.downstream.send.timeouts",
        "Downstream sends whose caller stopped waiting for room; the messages stay pending",
        downstream::sendTimeouts);
    total(
        "uplink.downstream.event.failures",
        "Failed attempts to hand a token event to the application",
        downstream::eventFailures);
    total(
        "uplink.downstream.expired",
        "Downstream messages whose time_to_live ran out unsent",
        downstream::expired);
    total("uplink.downstream.receipts", "Delivery receipts received", downstream::receipts);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.downstream.pending")
            .withDescription("Downstream messages accepted and not yet acked or failed")
            .build(),
        downstream::pending);
    for (String table : RetentionPurge.tables()) {
      registry.gauge(
          Metadata.builder()
              .withName("uplink.retention.purged")
              .withDescription("Rows the retention purge deleted, per table")
              .build(),
          () -> purge.purged().getOrDefault(table, 0L),
          new Tag("table", table));
    }
    quantiles(
        "uplink.upstream.receive.to.ack",
        "From reading an upstream message to writing its ack, last minute",
        upstream::receiveToAck);
    quantiles(
        "uplink.downstream.send.to.ack",
        "From writing a downstream message to CCS's answer, last minute",
        downstream::sendToAck);
  }

  @Override
  public void slotOpened(ManagedConnection slot) {
    Tag[] tags = tagsOf(slot);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.connection.connected")
            .withDescription("1 while the connection is authenticated")
            .build(),
        () -> slot.status().state() == ConnectionState.CONNECTED ? 1 : 0,
        tags);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.connection.pending.downstream")
            .withDescription("Downstream messages unanswered on the connection")
            .build(),
        () -> slot.status().pendingDownstream(),
        tags);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.connection.upstream.received")
            .withDescription("Upstream messages read on the connection")
            .build(),
        () -> slot.status().upstreamReceived(),
        tags);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.connection.downstream.sent")
            .withDescription("Downstream stanzas written on the connection")
            .build(),
        () -> slot.status().downstreamSent(),
        tags);
  }

  @Override
  public void slotClosed(ManagedConnection slot) {
    Tag[] tags = tagsOf(slot);
    for (String name :
        List.of(
            "uplink.connection.connected",
            "uplink.connection.pending.downstream",
            "uplink.connection.upstream.received",
            "uplink.connection.downstream.sent")) {
      registry.remove(new MetricID(name, tags));
    }
  }

  private void total(String name, String description, Supplier<Long> value) {
    registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), value);
  }

  private void quantiles(String name, String description, Supplier<LatencySnapshot> snapshot) {
    Metadata metadata =
        Metadata.builder()
            .withName(name)
            .withDescription(description)
            .withUnit(MetricUnits.SECONDS)
            .build();
    for (Quantile quantile : QUANTILES) {
      registry.gauge(
          metadata,
          () -> quantile.millis().applyAsDouble(snapshot.get()) / 1000.0,
          new Tag("quantile", quantile.label()));
    }
  }

  /** A quantile's label and where a snapshot holds it. */
  private record Quantile(String label, ToDoubleFunction<LatencySnapshot> millis) {}

  private static Tag[] tagsOf(ManagedConnection slot) {
    return new Tag[] {
      new Tag("sender", slot.senderId()), new Tag("connection", String.valueOf(slot.index()))
    };
  }
}
