package io.uplink.stats;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The gateway's running totals and latencies, counted where things happen and read as one {@link
 * CountersSnapshot}. Each series of a {@link Total} is a MicroProfile Metrics {@link Counter} in
 * the application registry, so Prometheus scrapes the very counters the MXBeans and the status API
 * read; a sender's unlabelled series are registered the first time it counts anything, at zero.
 * Lock-free on the counting side and thread-safe.
 */
@ApplicationScoped
public class GatewayCounters {

  private static final Total[] TOTALS = Total.values();

  @Inject MetricRegistry registry;

  /** Per sender, its unlabelled per-sender counters by {@link Total#ordinal()}. */
  private final ConcurrentMap<String, Counter[]> bySender = new ConcurrentHashMap<>();

  /** Every other series: labelled or not per sender. */
  private final ConcurrentMap<Series, Counter> others = new ConcurrentHashMap<>();

  private final Map<Latency, LatencyRecorder> latencies = new EnumMap<>(Latency.class);

  public GatewayCounters() {
    for (Latency latency : Latency.values()) {
      latencies.put(latency, new LatencyRecorder());
    }
  }

  /** Registers the sender's unlabelled series at zero, unless they exist. */
  public void registerSender(String senderId) {
    bySender.computeIfAbsent(senderId, this::seriesOf);
  }

  /** Counts one for the sender in a total without a label. */
  public void count(Total total, String senderId) {
    count(total, senderId, 1L);
  }

  /** Counts {@code amount} for the sender in a total without a label. */
  public void count(Total total, String senderId, long amount) {
    if (!total.perSender() || total.label().isPresent()) {
      throw new IllegalArgumentException(total + " is not counted per sender alone");
    }
    bySender.computeIfAbsent(senderId, this::seriesOf)[total.ordinal()].inc(amount);
  }

  /**
   * The sender's downstream messages accepted or adopted here and not yet at an end, as {@link
   * CountersSnapshot#downstreamPending()} counts them for all senders; read without a snapshot, for
   * every send.
   */
  public long downstreamPending(String senderId) {
    Counter[] counters = bySender.computeIfAbsent(senderId, this::seriesOf);
    long pending = counters[Total.DOWNSTREAM_ACCEPTED.ordinal()].getCount();
    for (Total end : Total.DOWNSTREAM_ENDS) {
      pending -= counters[end.ordinal()].getCount();
    }
    return pending;
  }

  /** Counts one for the sender in a labelled total, e.g. a nack's code. */
  public void count(Total total, String senderId, String labelValue) {
    add(new Series(total, senderId, labelValue), 1);
  }

  /** Adds to a total kept for the whole gateway, e.g. rows purged from a table. */
  public void add(Total total, String labelValue, long amount) {
    add(new Series(total, null, labelValue), amount);
  }

  /** Records one latency. */
  public void record(Latency latency, Duration value) {
    latencies.get(latency).record(value);
  }

  /** The latency's percentiles over the last minute. */
  public LatencySnapshot lastMinute(Latency latency) {
    return latencies.get(latency).lastMinute();
  }

  /** The recorder of a latency, for the cumulative buckets Prometheus reads. */
  public LatencyRecorder recorder(Latency latency) {
    return latencies.get(latency);
  }

  /** Every series's value now. */
  public CountersSnapshot snapshot() {
    List<CountersSnapshot.Count> counts = new ArrayList<>();
    bySender.forEach(
        (sender, counters) -> {
          for (Total total : TOTALS) {
            if (counters[total.ordinal()] != null) {
              counts.add(
                  new CountersSnapshot.Count(
                      total, sender, null, counters[total.ordinal()].getCount()));
            }
          }
        });
    others.forEach(
        (series, counter) ->
            counts.add(
                new CountersSnapshot.Count(
                    series.total(), series.senderId(), series.labelValue(), counter.getCount())));
    return new CountersSnapshot(counts);
  }

  private void add(Series series, long amount) {
    if (series.total().perSender() != (series.senderId() != null)
        || series.total().label().isPresent() != (series.labelValue() != null)) {
      throw new IllegalArgumentException(series + " does not match the labels of its total");
    }
    others.computeIfAbsent(series, this::register).inc(amount);
  }

  private Counter[] seriesOf(String senderId) {
    Counter[] counters = new Counter[TOTALS.length];
    for (Total total : TOTALS) {
      if (total.perSender() && total.label().isEmpty()) {
        counters[total.ordinal()] = register(new Series(total, senderId, null));
      }
    }
    return counters;
  }

  private Counter register(Series series) {
    Total total = series.total();
    Metadata metadata =
        Metadata.builder()
            .withName(total.metricName())
            .withDescription(total.description())
            .build();
    List<Tag> tags = new ArrayList<>();
    if (series.senderId() != null) {
      tags.add(new Tag("sender", series.senderId()));
    }
    total.label().ifPresent(label -> tags.add(new Tag(label, series.labelValue())));
    return registry.counter(metadata, tags.toArray(Tag[]::new));
  }

  /** One series of a total: its sender and label value, null where the total has none. */
  private record Series(Total total, String senderId, String labelValue) {}
}
