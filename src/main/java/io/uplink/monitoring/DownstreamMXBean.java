package io.uplink.monitoring;

import io.uplink.stats.LatencySnapshot;

/**
 * The downstream totals, published as {@code uplink:type=Downstream}. Plain longs; {@code Pending}
 * is the number of accepted messages not yet acked, failed or expired.
 */
public interface DownstreamMXBean {

  long getSent();

  long getAcked();

  long getNacked();

  long getRetried();

  long getFailed();

  /** Messages whose time_to_live ran out before they could be written to CCS; never sent. */
  long getExpired();

  long getPending();

  /**
   * Sends whose caller stopped waiting after uplink.downstream.send-timeout without room on any
   * connection; the messages stayed pending and are still sent.
   */
  long getSendTimeouts();

  long getReceipts();

  /** Attempts to hand TokenInvalidated or CanonicalTokenReceived to the application that failed. */
  long getEventFailures();

  long getStanzaErrors();

  /** Send-to-ack latency over the last minute: from writing a message to CCS's ack or nack. */
  LatencySnapshot getSendToAck();
}
