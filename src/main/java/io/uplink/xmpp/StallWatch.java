package io.uplink.xmpp;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Watches one slot's current stream for an upstream stall: a database outage can leave a full
 * window of upstream messages given back on a stream, after which CCS sends it nothing, not even
 * those messages again, until it closes ({@link UpstreamWindow#stalled}). Checks every half the
 * quiet period while the stream is current, and hands a stalled stream back to be replaced. A
 * replacement that stalls in turn without having acked anything (the outage goes on) is given twice
 * the quiet period of the one before, up to {@code uplink.ccs.backoff-max}, so that a long outage
 * does not reconnect every {@code uplink.ccs.upstream-stall-timeout}. Runs on the pool's scheduler.
 */
final class StallWatch {

  private static final int LONGEST_DOUBLING = 10;

  private final ScheduledExecutorService scheduler;
  private final Duration stallTimeout;
  private final Duration longest;
  private final Predicate<CcsStream> isCurrent;
  private final BiConsumer<CcsStream, Duration> onStall;
  private int stalledInARow;

  /**
   * @param isCurrent whether the stream is still its slot's current one; checks end when not
   * @param onStall takes the stalled stream and how long it was quiet
   */
  StallWatch(
      ScheduledExecutorService scheduler,
      Duration stallTimeout,
      Duration backoffMax,
      Predicate<CcsStream> isCurrent,
      BiConsumer<CcsStream, Duration> onStall) {
    this.scheduler = scheduler;
    this.stallTimeout = stallTimeout;
    this.longest = backoffMax.compareTo(stallTimeout) > 0 ? backoffMax : stallTimeout;
    this.isCurrent = isCurrent;
    this.onStall = onStall;
  }

  /** Starts watching a stream that just became current. */
  void watch(CcsStream stream) {
    Duration quiet = quietPeriod();
    long everyMillis = Math.max(1, quiet.toMillis() / 2);
    Runnable check =
        new Runnable() {
          @Override
          public void run() {
            if (!isCurrent.test(stream)) {
              return;
            }
            if (stream.upstream().stalled(quiet)) {
              stalled(stream, quiet);
            } else {
              scheduler.schedule(this, everyMillis, TimeUnit.MILLISECONDS);
            }
          }
        };
    scheduler.schedule(check, everyMillis, TimeUnit.MILLISECONDS);
  }

  private synchronized Duration quietPeriod() {
    int doublings = Math.min(Math.max(stalledInARow - 1, 0), LONGEST_DOUBLING);
    Duration quiet = stallTimeout.multipliedBy(1L << doublings);
    return quiet.compareTo(longest) > 0 ? longest : quiet;
  }

  private void stalled(CcsStream stream, Duration quiet) {
    synchronized (this) {
      stalledInARow = stream.upstream().ackedAny() ? 1 : stalledInARow + 1;
    }
    onStall.accept(stream, quiet);
  }
}
