package io.uplink.downstream;

import io.uplink.config.DownstreamSettings;
import java.time.Duration;

/** The downstream settings' defaults, for unit tests that build the downstream parts by hand. */
final class TestDownstreamSettings {

  private TestDownstreamSettings() {}

  static DownstreamSettings defaults() {
    return withRetryAfterMax(Duration.ofHours(1));
  }

  static DownstreamSettings withRetryAfterMax(Duration retryAfterMax) {
    return new DownstreamSettings(
        100,
        Duration.ofSeconds(30),
        5,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        retryAfterMax,
        100_000,
        10_000,
        Duration.ofMinutes(1));
  }
}
