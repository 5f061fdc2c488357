package io.uplink.monitoring;

import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import io.uplink.downstream.SenderPauses;
import io.uplink.httpv1.HttpV1Transport;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Latency;
import io.uplink.stats.LatencyRecorder;
import io.uplink.stats.Total;
import io.uplink.upstream.UpstreamPipeline;
import io.uplink.xmpp.ConnectionLifecycleListener;
import io.uplink.xmpp.ConnectionState;
import io.uplink.xmpp.ManagedConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Publishes what the counters do not register themselves through MicroProfile Metrics, which Payara
 * serves in Prometheus form at {@code /metrics}: the upstream backlog, pending downstream messages
 * and each HTTP v1 sender's requests in flight as gauges; each latency as a histogram of cumulative
 * buckets since the start ({@code _bucket} series with an {@code le} label, {@code _count} and
 * {@code _sum}, in seconds), which Prometheus aggregates over instances with {@code
 * histogram_quantile}; and each connection's state and traffic tagged with its sender and number.
 * The totals themselves are counters that {@link GatewayCounters} registers; this class registers
 * every configured sender's at zero, so their series exist before the first message. Thread-safe.
 */
@ApplicationScoped
public class GatewayMetrics implements ConnectionLifecycleListener {

  /** Bucket bounds of the latency histograms, in seconds. */
  private static final List<String> BUCKETS =
      List.of(
          "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
          "5", "10");

  @Inject MetricRegistry registry;
  @Inject GatewayCounters counters;
  @Inject UpstreamPipeline pipeline;
  @Inject CcsSettings ccs;
  @Inject HttpV1Transport httpV1;
  @Inject SenderPauses pauses;

  void publish(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    ccs.senders().forEach(sender -> counters.registerSender(sender.senderId()));
    counters.add(Total.DOWNSTREAM_EVENT_FAILURES, null, 0);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.upstream.backlog")
            .withDescription("Upstream messages queued for delivery")
            .build(),
        pipeline::backlog);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.downstream.pending")
            .withDescription(
                "Downstream messages accepted here and not yet acked, failed, expired or cancelled")
            .build(),
        () -> counters.snapshot().downstreamPending());
    for (Latency latency : Latency.values()) {
      histogram(latency, counters.recorder(latency));
    }
    ccs.senders()
        .forEach(
            sender ->
                registry.gauge(
                    Metadata.builder()
                        .withName("uplink.sender.paused")
                        .withDescription(
                            "1 while the sender's sends pause after an answer about the whole"
                                + " sender (CCS or FCM unavailable, over quota, credentials"
                                + " refused, no answer)")
                        .build(),
                    () -> pauses.of(sender.senderId()).reason().isPresent() ? 1 : 0,
                    new Tag("sender", sender.senderId())));
    ccs.senders().stream()
        .filter(SenderSettings::sendsOverHttpV1)
        .forEach(
            sender ->
                registry.gauge(
                    Metadata.builder()
                        .withName("uplink.http.v1.in.flight")
                        .withDescription(
                            "HTTP v1 requests waiting for FCM's answer (the sender's window)")
                        .build(),
                    () -> httpV1.inFlight(sender.senderId()).orElse(0),
                    new Tag("sender", sender.senderId())));
  }

  @Override
  public void connectionOpened(ManagedConnection connection) {
    Tag[] tags = tagsOf(connection);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.connection.connected")
            .withDescription("1 while the connection is authenticated")
            .build(),
        () -> connection.status().state() == ConnectionState.CONNECTED ? 1 : 0,
        tags);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.connection.pending.downstream")
            .withDescription("Downstream messages unanswered on the connection")
            .build(),
        () -> connection.status().pendingDownstream(),
        tags);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.connection.upstream.received")
            .withDescription("Upstream messages read on the connection")
            .build(),
        () -> connection.status().upstreamReceived(),
        tags);
    registry.gauge(
        Metadata.builder()
            .withName("uplink.connection.downstream.sent")
            .withDescription("Downstream stanzas written on the connection")
            .build(),
        () -> connection.status().downstreamSent(),
        tags);
  }

  @Override
  public void connectionClosed(ManagedConnection connection) {
    Tag[] tags = tagsOf(connection);
    for (String name :
        List.of(
            "uplink.connection.connected",
            "uplink.connection.pending.downstream",
            "uplink.connection.upstream.received",
            "uplink.connection.downstream.sent")) {
      registry.remove(new MetricID(name, tags));
    }
  }

  private void histogram(Latency latency, LatencyRecorder recorder) {
    String name = latency.metricName() + ".seconds";
    String description = latency.description() + ", since the start";
    for (String bound : BUCKETS) {
      Duration limit = Duration.ofNanos(Math.round(Double.parseDouble(bound) * 1e9));
      registry.gauge(
          metadata(name + ".bucket", description),
          () -> recorder.countSinceStart(limit),
          new Tag("le", bound));
    }
    registry.gauge(
        metadata(name + ".bucket", description),
        () -> recorder.countSinceStart(),
        new Tag("le", "+Inf"));
    registry.gauge(metadata(name + ".count", description), () -> recorder.countSinceStart());
    registry.gauge(
        metadata(name + ".sum", description), () -> recorder.sumSinceStart().toNanos() / 1e9);
  }

  private static Metadata metadata(String name, String description) {
    return Metadata.builder().withName(name).withDescription(description).build();
  }

  private static Tag[] tagsOf(ManagedConnection connection) {
    return new Tag[] {
      new Tag("sender", connection.senderId()),
      new Tag("connection", String.valueOf(connection.index()))
    };
  }
}
