package io.uplink.monitoring;

import io.uplink.ccs.RejectReason;
import io.uplink.stats.LatencySnapshot;
import io.uplink.upstream.UpstreamCounters;
import io.uplink.upstream.UpstreamPipeline;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link UpstreamMXBean} over the live counters. Thread-safe; holds no state of its own. */
final class UpstreamView implements UpstreamMXBean {

  private final UpstreamCounters counters;
  private final UpstreamPipeline pipeline;

  UpstreamView(UpstreamCounters counters, UpstreamPipeline pipeline) {
    this.counters = counters;
    this.pipeline = pipeline;
  }

  @Override
  public long getReceived() {
    return counters.received();
  }

  @Override
  public long getDelivered() {
    return counters.delivered();
  }

  @Override
  public long getDuplicates() {
    return counters.duplicates();
  }

  @Override
  public long getRejected() {
    return counters.rejected();
  }

  @Override
  public Map<String, Long> getRejectedByReason() {
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (RejectReason reason : RejectReason.values()) {
      byReason.put(reason.name(), counters.rejected(reason));
    }
    return byReason;
  }

  @Override
  public long getAcked() {
    return counters.acked();
  }

  @Override
  public long getDeadLettered() {
    return counters.deadLettered();
  }

  @Override
  public long getObserverFailures() {
    return counters.observerFailures();
  }

  @Override
  public long getNotQueued() {
    return counters.notQueued();
  }

  @Override
  public long getErrors() {
    return counters.errors();
  }

  @Override
  public int getBacklog() {
    return pipeline.backlog();
  }

  @Override
  public LatencySnapshot getReceiveToAck() {
    return counters.receiveToAck();
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
}
