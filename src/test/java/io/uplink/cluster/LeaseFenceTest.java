package io.uplink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.config.ClusterSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fence trusts a heartbeat for three quarters of a lease (11.25 s of 15 s here) and counts a
 * lapse when the next heartbeat came later than that, also with rounds half a lease apart; a single
 * instance is always current.
 */
class LeaseFenceTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  @Test
  void aSingleInstanceIsAlwaysCurrent() {
    LeaseFence fence = fence(false);
    assertTrue(fence.current());
    assertEquals(0, fence.lapses());
  }

  @Test
  void aClusteredInstanceIsCurrentOnlyWhileItsLastHeartbeatIsTrusted() {
    LeaseFence fence = fence(true);
    assertFalse(fence.current(), "no heartbeat written yet");

    fence.heartbeatWritten(System.nanoTime());
    assertTrue(fence.current());

    fence.heartbeatWritten(System.nanoTime() - 10 * SECOND);
    assertTrue(fence.current(), "a heartbeat begun 10 s ago is trusted");

    fence.heartbeatWritten(System.nanoTime() - 12 * SECOND);
    assertFalse(fence.current(), "a heartbeat begun 12 s ago is no longer trusted");
  }

  @Test
  void aHeartbeatAfterALongerGapCountsALapse() {
    LeaseFence fence = fence(true);
    long start = System.nanoTime() - 60 * SECOND;
    fence.heartbeatWritten(start);
    fence.heartbeatWritten(start + 5 * SECOND);
    fence.heartbeatWritten(start + 15 * SECOND);
    fence.heartbeatWritten(start + 23 * SECOND);
    assertEquals(
        0, fence.lapses(), "gaps of 5, 10 and 8 s (rounds half a lease apart, one slow): trusted");

    fence.heartbeatWritten(start + 35 * SECOND);
    assertEquals(1, fence.lapses(), "a gap of 12 s is a lapse");
  }

  private static LeaseFence fence(boolean clustered) {
    LeaseFence fence = new LeaseFence();
    fence.cluster = new ClusterSettings(clustered, Duration.ofSeconds(15), Duration.ofSeconds(5));
    return fence;
  }
}
