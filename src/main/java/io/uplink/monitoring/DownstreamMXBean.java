package io.uplink.monitoring;

import io.uplink.stats.LatencySnapshot;

/**
 * The downstream totals, published as {@code uplink:type=Downstream}. Plain longs; {@code Pending}
 * is the number of accepted messages not yet acked or failed.
 */
public interface DownstreamMXBean {

  long getSent();

  long getAcked();

  long getNacked();

  long getRetried();

  long getFailed();

  long getPending();

  long getReceipts();

  long getStanzaErrors();

  /** Send-to-ack latency over the last minute: from writing a message to CCS's ack or nack. */
  LatencySnapshot getSendToAck();
}
