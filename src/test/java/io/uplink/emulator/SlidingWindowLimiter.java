package io.uplink.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Allows at most {@code max} events per key in any sliding {@code window}, for CCS's per-device and
 * per-topic message rates (ccs-protocol.md §3.4: {@code DEVICE_MESSAGE_RATE_EXCEEDED}, {@code
 * TOPICS_MESSAGE_RATE_EXCEEDED}). Keeps at most {@code max} timestamps per key.
 *
 * <p>Thread-safe: one lock, held only for a few deque operations per message.
 */
final class SlidingWindowLimiter {

  private final int max;
  private final long windowNanos;
  private final Map<String, ArrayDeque<Long>> events = new HashMap<>();

  SlidingWindowLimiter(int max, Duration window) {
    this.max = max;
    this.windowNanos = window.toNanos();
  }

  /**
   * Counts one event for every key and returns {@code null}, or counts nothing and returns the
   * first key that already had {@code max} events in the window.
   */
  synchronized String tryAcquire(List<String> keys, long nowNanos) {
    for (String key : keys) {
      ArrayDeque<Long> times = events.get(key);
      if (times == null) {
        continue;
      }
      while (!times.isEmpty() && nowNanos - times.peekFirst() >= windowNanos) {
        times.pollFirst();
      }
      if (times.size() >= max) {
        return key;
      }
    }
    for (String key : keys) {
      events.computeIfAbsent(key, k -> new ArrayDeque<>(Math.min(max, 16))).addLast(nowNanos);
    }
    return null;
  }
}
