package io.uplink.monitoring;

import io.uplink.ccs.RejectReason;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Latency;
import io.uplink.stats.LatencySnapshot;
import io.uplink.stats.Total;
import io.uplink.upstream.UpstreamPipeline;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link UpstreamMXBean} over the live counters. Thread-safe; holds no state of its own. */
final class UpstreamView implements UpstreamMXBean {

  private final GatewayCounters counters;
  private final UpstreamPipeline pipeline;

  UpstreamView(GatewayCounters counters, UpstreamPipeline pipeline) {
    this.counters = counters;
    this.pipeline = pipeline;
  }

  @Override
  public long getReceived() {
    return total(Total.UPSTREAM_RECEIVED);
  }

  @Override
  public long getDelivered() {
    return total(Total.UPSTREAM_DELIVERED);
  }

  @Override
  public long getDuplicates() {
    return total(Total.UPSTREAM_DUPLICATES);
  }

  @Override
  public long getRejected() {
    return total(Total.UPSTREAM_REJECTED);
  }

  @Override
  public Map<String, Long> getRejectedByReason() {
    Map<String, Long> counted = counters.snapshot().byLabel(Total.UPSTREAM_REJECTED);
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (RejectReason reason : RejectReason.values()) {
      byReason.put(reason.name(), counted.getOrDefault(reason.name(), 0L));
    }
    return byReason;
  }

  @Override
  public long getAcked() {
    return total(Total.UPSTREAM_ACKED);
  }

  @Override
  public long getDeadLettered() {
    return total(Total.UPSTREAM_DEAD_LETTERED);
  }

  @Override
  public long getObserverFailures() {
    return total(Total.UPSTREAM_OBSERVER_FAILURES);
  }

  @Override
  public long getAsyncObserverFailures() {
    return total(Total.UPSTREAM_ASYNC_OBSERVER_FAILURES);
  }

  @Override
  public long getNotQueued() {
    return total(Total.UPSTREAM_NOT_QUEUED);
  }

  @Override
  public long getErrors() {
    return total(Total.UPSTREAM_ERRORS);
  }

  @Override
  public long getInDoubtCommitted() {
    return total(Total.UPSTREAM_IN_DOUBT_COMMITTED);
  }

  @Override
  public int getBacklog() {
    return pipeline.backlog();
  }

  @Override
  public LatencySnapshot getReceiveToAck() {
    return counters.lastMinute(Latency.UPSTREAM_RECEIVE_TO_ACK);
  }

  @Override
  public boolean isPaused() {
    return pipeline.isPaused();
  }

  @Override
  public void pause() {
    pipeline.pause();
  }

  @Override
  public void resume() {
    pipeline.resume();
  }

  private long total(Total total) {
    return counters.snapshot().total(total);
  }
}
