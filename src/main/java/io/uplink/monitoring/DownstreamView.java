package io.uplink.monitoring;

import io.uplink.downstream.DownstreamCounters;
import io.uplink.stats.LatencySnapshot;

/** The {@link DownstreamMXBean} over the live counters. Thread-safe; holds no state of its own. */
final class DownstreamView implements DownstreamMXBean {

  private final DownstreamCounters counters;

  DownstreamView(DownstreamCounters counters) {
    this.counters = counters;
  }

  @Override
  public long getSent() {
    return counters.sent();
  }

  @Override
  public long getAcked() {
    return counters.acked();
  }

  @Override
  public long getNacked() {
    return counters.nacked();
  }

  @Override
  public long getRetried() {
    return counters.retried();
  }

  @Override
  public long getFailed() {
    return counters.failed();
  }

  @Override
  public long getSendTimeouts() {
    return counters.sendTimeouts();
  }

  @Override
  public long getEventFailures() {
    return counters.eventFailures();
  }

  @Override
  public long getExpired() {
    return counters.expired();
  }

  @Override
  public long getPending() {
    return counters.pending();
  }

  @Override
  public long getStanzaErrors() {
    return counters.stanzaErrors();
  }

  @Override
  public long getReceipts() {
    return counters.receipts();
  }

  @Override
  public LatencySnapshot getSendToAck() {
    return counters.sendToAck();
  }
}
