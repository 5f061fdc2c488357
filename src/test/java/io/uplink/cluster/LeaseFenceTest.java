package io.uplink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.config.ClusterSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fence trusts a heartbeat for a lease duration minus one renew interval (15 s − 5 s here) and
 * counts a lapse when the next heartbeat came later than that; a single instance is always current.
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

    fence.heartbeatWritten(System.nanoTime() - 11 * SECOND);
    assertFalse(fence.current(), "a heartbeat begun 11 s ago is no longer trusted");
  }

  @Test
  void aHeartbeatAfterALongerGapCountsALapse() {
    LeaseFence fence = fence(true);
    long start = System.nanoTime() - 60 * SECOND;
    fence.heartbeatWritten(start);
    fence.heartbeatWritten(start + 5 * SECOND);
    fence.heartbeatWritten(start + 14 * SECOND);
    assertEquals(0, fence.lapses(), "gaps of 5 and 9 s are within the trusted 10 s");

    fence.heartbeatWritten(start + 24 * SECOND);
    assertEquals(1, fence.lapses(), "a gap of 10 s is a lapse");
  }

  private static LeaseFence fence(boolean clustered) {
    LeaseFence fence = new LeaseFence();
    fence.cluster = new ClusterSettings(clustered, Duration.ofSeconds(15), Duration.ofSeconds(5));
    return fence;
  }
}
