package io.uplink.stats;

/**
 * The latencies the gateway records, each kept for the last minute (percentiles for JMX and the
 * dashboard) and since the start (cumulative buckets for Prometheus).
 */
public enum Latency {
  UPSTREAM_RECEIVE_TO_ACK(
      "uplink.upstream.receive.to.ack", "From reading an upstream message to writing its ack"),
  DOWNSTREAM_SEND_TO_ACK(
      "uplink.downstream.send.to.ack", "From writing a downstream message to CCS's answer");

  private final String metricName;
  private final String description;

  Latency(String metricName, String description) {
    this.metricName = metricName;
    this.description = description;
  }

  /** The name in MicroProfile Metrics, before the unit. */
  public String metricName() {
    return metricName;
  }

  /** The metric's help text. */
  public String description() {
    return description;
  }
}
