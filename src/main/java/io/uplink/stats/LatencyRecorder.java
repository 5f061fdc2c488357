package io.uplink.stats;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records latencies (receive-to-ack, send-to-ack) and tells their percentiles over the last minute,
 * and how many fell at or below a bound since the start (the cumulative buckets of a Prometheus
 * histogram). Recording is wait-free (an HdrHistogram {@link Recorder}, microsecond resolution, two
 * significant digits), so it can sit on the hot path of every message. The minute is the ten-second
 * slice under way plus the five before it, rotated by the next record or read after a slice ends.
 * Thread-safe.
 */
public final class LatencyRecorder {

  private static final long SLICE_NANOS = Duration.ofSeconds(10).toNanos();
  private static final int SLICES = 6;
  private static final double MICROS_PER_MILLI = 1_000.0;

  private final Recorder recorder = new Recorder(2);
  private final Deque<Histogram> slices = new ArrayDeque<>();
  private final Histogram current = new Histogram(2);
  private final Histogram sinceStart = new Histogram(2);
  private volatile long sliceEndsAt = System.nanoTime() + SLICE_NANOS;
  private Histogram recycled;

  /** Records one latency. */
  public void record(Duration latency) {
    recorder.recordValue(Math.max(0, latency.toNanos() / 1_000));
    long now = System.nanoTime();
    if (now - sliceEndsAt > 0) {
      rotate(now);
    }
  }

  /** Percentiles over the last minute. */
  public LatencySnapshot lastMinute() {
    Histogram window = new Histogram(2);
    synchronized (this) {
      rotate(System.nanoTime());
      drainRecorder();
      slices.forEach(window::add);
      window.add(current);
    }
    return snapshotOf(window);
  }

  /**
   * How many latencies at most {@code bound} were recorded since the start, to the histogram's two
   * significant digits.
   */
  public synchronized long countSinceStart(Duration bound) {
    drainRecorder();
    return sinceStart.getCountBetweenValues(0, bound.toNanos() / 1_000);
  }

  /** How many latencies were recorded since the start. */
  public synchronized long countSinceStart() {
    drainRecorder();
    return sinceStart.getTotalCount();
  }

  /** The sum of every latency recorded since the start, to two significant digits each. */
  public synchronized Duration sumSinceStart() {
    drainRecorder();
    return Duration.ofNanos(Math.round(sinceStart.getMean() * sinceStart.getTotalCount() * 1_000));
  }

  private synchronized void rotate(long now) {
    if (now - sliceEndsAt > SLICE_NANOS * SLICES) {
      slices.clear();
      drainRecorder();
      current.reset();
      sliceEndsAt = now + SLICE_NANOS;
      return;
    }
    while (now - sliceEndsAt > 0) {
      drainRecorder();
      slices.addLast(current.copy());
      current.reset();
      if (slices.size() > SLICES - 1) {
        slices.removeFirst();
      }
      sliceEndsAt += SLICE_NANOS;
    }
  }

  private void drainRecorder() {
    recycled = recorder.getIntervalHistogram(recycled);
    current.add(recycled);
    sinceStart.add(recycled);
  }

  private static LatencySnapshot snapshotOf(Histogram histogram) {
    if (histogram.getTotalCount() == 0) {
      return LatencySnapshot.EMPTY;
    }
    return new LatencySnapshot(
        histogram.getTotalCount(),
        millis(histogram.getValueAtPercentile(50)),
        millis(histogram.getValueAtPercentile(90)),
        millis(histogram.getValueAtPercentile(99)),
        millis(histogram.getValueAtPercentile(99.9)),
        millis(histogram.getMaxValue()));
  }

  private static double millis(long micros) {
    return micros / MICROS_PER_MILLI;
  }
}
