/**
 * Measurements that the upstream and downstream paths record and monitoring reads: the running
 * totals (one {@link io.uplink.stats.Total} each, kept as MicroProfile Metrics counters by {@link
 * io.uplink.stats.GatewayCounters} and read as one snapshot), latency histograms and the latest
 * messages. Nothing here knows JPA or Smack.
 */
package io.uplink.stats;
