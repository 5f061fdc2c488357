package io.uplink.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reconnect delays: doubling from the first, jittered in the upper half, capped. */
class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

  @Test
  void delaysDoubleWithJitterInTheUpperHalfUntilTheCap() {
    long[] ceilings = {100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000};
    for (long ceiling : ceilings) {
      long delay = backoff.nextDelay().toMillis();
      assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " within " + ceiling);
    }
    assertEquals(ceilings.length, backoff.failures());
  }

  @Test
  void manyFailuresNeitherOverflowNorPassTheCap() {
    for (int i = 0; i < 100; i++) {
      long delay = backoff.nextDelay().toMillis();
      long ceiling = i < 7 ? 100L << i : 10_000;
      assertTrue(
          delay >= ceiling / 2 && delay <= ceiling,
          "delay " + delay + " after " + i + " failures, ceiling " + ceiling);
    }
  }

  @Test
  void aSuccessStartsOver() {
    for (int i = 0; i < 8; i++) {
      backoff.nextDelay();
    }
    backoff.reset();
    assertEquals(0, backoff.failures());
    assertTrue(backoff.nextDelay().toMillis() <= 100);
  }
}
