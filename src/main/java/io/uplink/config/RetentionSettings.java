package io.uplink.config;

import java.time.Duration;

/**
 * How long finished records are kept before the purge deletes them. Immutable.
 *
 * @param outbox downstream messages acked, refused, failed or expired this long ago (their receipt
 *     time goes with them)
 * @param deadLetters dead-lettered upstream messages and token events recorded this long ago
 * @param chunkSize at most this many rows are deleted per transaction
 */
public record RetentionSettings(Duration outbox, Duration deadLetters, int chunkSize) {}
