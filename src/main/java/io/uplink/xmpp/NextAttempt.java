package io.uplink.xmpp;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection slot's next attempt to open a stream: at most one is scheduled or running at a time.
 * Not thread-safe on purpose: its slot calls it only while holding the slot's own monitor, so that
 * the attempt and the slot's state change together under one lock.
 */
final class NextAttempt {

  private final ScheduledExecutorService scheduler;
  private final Runnable attempt;
  private ScheduledFuture<?> scheduled;
  private boolean pending;

  NextAttempt(ScheduledExecutorService scheduler, Runnable attempt) {
    this.scheduler = scheduler;
    this.attempt = attempt;
  }

  /** Schedules the attempt after the delay, unless one is scheduled or running already. */
  void schedule(Duration delay) {
    if (pending) {
      return;
    }
    pending = true;
    scheduled = scheduler.schedule(attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Calls off a scheduled attempt that has not started; one under way runs to its end. */
  void cancel() {
    if (pending && scheduled.cancel(false)) {
      pending = false;
    }
  }

  /** The attempt under way has ended; the next may be scheduled. */
  void ended() {
    pending = false;
  }
}
