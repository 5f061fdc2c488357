package io.uplink.monitoring;

import io.uplink.stats.LatencySnapshot;
import java.util.Map;

/**
 * The upstream totals, published as {@code uplink:type=Upstream}. The counts are plain longs that
 * only grow while the application is deployed; {@code pause}/{@code resume} hold and release
 * delivery.
 */
public interface UpstreamMXBean {

  long getReceived();

  long getDelivered();

  long getDuplicates();

  long getRejected();

  /** Rejections by reason (MALFORMED_JSON, WRONG_TYPE, OVERSIZED_DATA, ...). */
  Map<String, Long> getRejectedByReason();

  long getAcked();

  long getDeadLettered();

  long getObserverFailures();

  /** Committed messages an {@code @ObservesAsync} observer failed on; they are not retried. */
  long getAsyncObserverFailures();

  /** Messages left unacked on arrival: a copy was still queued, or the lane was full. */
  long getNotQueued();

  long getErrors();

  /**
   * Messages whose delivery attempt failed while committing but had committed, the commit's answer
   * lost; found when the message came back (CCS's redelivery, or a failed batch delivered again
   * message by message), and counted in {@link #getDelivered} then.
   */
  long getInDoubtCommitted();

  /** Messages queued for delivery right now. */
  int getBacklog();

  /** Receive-to-ack latency over the last minute: from reading a message to writing its ack. */
  LatencySnapshot getReceiveToAck();

  boolean isPaused();

  /** Holds every message unacked in its lane until {@link #resume}. */
  void pause();

  void resume();
}
