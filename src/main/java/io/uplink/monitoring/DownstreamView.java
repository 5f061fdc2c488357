package io.uplink.monitoring;

import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Latency;
import io.uplink.stats.LatencySnapshot;
import io.uplink.stats.Total;
import java.util.Map;

/** The {@link DownstreamMXBean} over the live counters. Thread-safe; holds no state of its own. */
final class DownstreamView implements DownstreamMXBean {

  private final GatewayCounters counters;

  DownstreamView(GatewayCounters counters) {
    this.counters = counters;
  }

  @Override
  public long getSent() {
    return total(Total.DOWNSTREAM_SENT);
  }

  @Override
  public long getAcked() {
    return total(Total.DOWNSTREAM_ACKED);
  }

  @Override
  public long getNacked() {
    return total(Total.DOWNSTREAM_NACKED);
  }

  @Override
  public Map<String, Long> getNackedByCode() {
    return counters.snapshot().byLabel(Total.DOWNSTREAM_NACKED);
  }

  @Override
  public long getRetried() {
    return total(Total.DOWNSTREAM_RETRIED);
  }

  @Override
  public long getFailed() {
    return total(Total.DOWNSTREAM_FAILED);
  }

  @Override
  public long getExpired() {
    return total(Total.DOWNSTREAM_EXPIRED);
  }

  @Override
  public long getCancelled() {
    return total(Total.DOWNSTREAM_CANCELLED);
  }

  @Override
  public long getPending() {
    return counters.snapshot().downstreamPending();
  }

  @Override
  public long getSendTimeouts() {
    return total(Total.DOWNSTREAM_SEND_TIMEOUTS);
  }

  @Override
  public long getReceipts() {
    return total(Total.DOWNSTREAM_RECEIPTS);
  }

  @Override
  public long getEventFailures() {
    return total(Total.DOWNSTREAM_EVENT_FAILURES);
  }

  @Override
  public long getStanzaErrors() {
    return total(Total.DOWNSTREAM_STANZA_ERRORS);
  }

  @Override
  public long getSenderPauses() {
    return total(Total.DOWNSTREAM_SENDER_PAUSES);
  }

  @Override
  public long getRecordRetries() {
    return total(Total.DOWNSTREAM_RECORD_RETRIES);
  }

  @Override
  public long getBacklogRefusals() {
    return total(Total.DOWNSTREAM_BACKLOG_REFUSALS);
  }

  @Override
  public LatencySnapshot getSendToAck() {
    return counters.lastMinute(Latency.DOWNSTREAM_SEND_TO_ACK);
  }

  private long total(Total total) {
    return counters.snapshot().total(total);
  }
}
