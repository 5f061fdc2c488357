/**
 * Measurements that the upstream and downstream paths record and monitoring reads: latency
 * histograms and the latest messages. Nothing here knows JPA or Smack.
 */
package io.uplink.stats;
