package io.uplink.config;

import java.time.Duration;
import java.util.Set;

/**
 * How upstream messages are checked, de-duplicated and delivered. Immutable.
 *
 * @param allowedCategories application IDs accepted in {@code category}; empty accepts any
 * @param maxAttempts deliveries whose observers failed this many times are dead-lettered
 * @param dedupRetention how long a de-duplication record is kept
 * @param workers how many delivery lanes run observers in parallel
 * @param batchSize at most this many queued messages of one lane are delivered in one transaction
 * @param laneCapacity at most this many messages wait in one lane; more stay unacked for CCS
 */
public record UpstreamSettings(
    Set<String> allowedCategories,
    int maxStanzaBytes,
    int maxAttempts,
    Duration dedupRetention,
    Duration purgeInterval,
    int workers,
    int batchSize,
    int laneCapacity) {

  public UpstreamSettings {
    allowedCategories = Set.copyOf(allowedCategories);
  }
}
