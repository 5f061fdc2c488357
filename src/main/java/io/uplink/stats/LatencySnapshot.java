package io.uplink.stats;

/**
 * Latency percentiles over a recent window, in milliseconds. An MXBean attribute of this type shows
 * in jconsole as a composite of plain numbers. Immutable.
 *
 * @param count how many latencies the window holds
 */
public record LatencySnapshot(
    long count,
    double p50Millis,
    double p90Millis,
    double p99Millis,
    double p999Millis,
    double maxMillis) {

  static final LatencySnapshot EMPTY = new LatencySnapshot(0, 0, 0, 0, 0, 0);
}
