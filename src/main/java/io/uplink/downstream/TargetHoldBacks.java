package io.uplink.downstream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The targets CCS or FCM said receive too much ({@code DEVICE_MESSAGE_RATE_EXCEEDED}, {@code
 * QUOTA_EXCEEDED}), and until when nothing more goes to them: ccs-protocol.md §3.4, "should not
 * immediately retry sending to this device". Thread-safe.
 */
final class TargetHoldBacks {

  /** Until when (System.nanoTime) each target is held back. */
  private final Map<String, Long> until = new ConcurrentHashMap<>();

  /** Holds the target back for the delay, or longer if it already was. */
  void holdFor(String target, Duration delay) {
    until.merge(target, System.nanoTime() + delay.toNanos(), Math::max);
  }

  /** How long the target is still held back; zero when it is not. */
  Duration left(String target) {
    Long end = until.get(target);
    if (end == null) {
      return Duration.ZERO;
    }
    long left = end - System.nanoTime();
    if (left <= 0) {
      until.remove(target, end);
      return Duration.ZERO;
    }
    return Duration.ofNanos(left);
  }
}
