package io.uplink.downstream;

import io.uplink.config.DownstreamSettings;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a retry waits: exponential from {@code uplink.downstream.retry-initial}, capped at
 * {@code retry-max}, each delay lengthened by a random share so that retries spread out, as the
 * Server Reference asks (ccs-protocol.md §3.4). Used for nacked messages, sender-wide pauses and
 * token events whose observer failed. Stateless.
 */
final class RetryBackoff {

  private RetryBackoff() {}

  /**
   * The delay before retry number {@code attempt + 1}.
   *
   * @param attempt how many retries came before (0 for the first)
   * @param factor how much longer than usual (10 for a rate-limited target)
   */
  static Duration after(DownstreamSettings settings, int attempt, int factor) {
    long base = settings.retryInitial().toMillis() * factor << Math.min(attempt, 20);
    long capped = Math.min(base, settings.retryMax().toMillis() * factor);
    return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  /**
   * How much of a {@code Retry-After} is honoured: at most {@code
   * uplink.downstream.retry-after-max}, so that a wrong or hostile header cannot hold messages back
   * for days.
   */
  static Duration honoured(DownstreamSettings settings, Duration retryAfter) {
    return retryAfter.compareTo(settings.retryAfterMax()) > 0
        ? settings.retryAfterMax()
        : retryAfter;
  }
}
