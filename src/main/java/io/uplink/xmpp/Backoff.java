package io.uplink.xmpp;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for connection attempts that fail before authentication
 * (ccs-protocol.md §1.6): each delay doubles up to a cap, and is drawn between half and all of it
 * so that many connections do not retry in step. One per connection slot, advanced only by its
 * scheduled attempts; {@link #failures()} may be read from any thread.
 */
final class Backoff {

  private final Duration initial;
  private final Duration max;
  private volatile int failures;

  Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** The delay before the next attempt, after one more failure. */
  Duration nextDelay() {
    long ceiling = initial.toMillis() << Math.min(failures, 30);
    failures++;
    long capped = Math.min(Math.max(ceiling, 0), max.toMillis());
    long half = capped / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
  }

  void reset() {
    failures = 0;
  }

  int failures() {
    return failures;
  }
}
