package io.uplink.downstream;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs work on an executor and keeps count of what has not finished, so that a graceful stop can
 * wait until every answer already received is recorded. Thread-safe.
 */
final class CountedExecution {

  private final Executor executor;
  private final AtomicInteger unfinished = new AtomicInteger();

  CountedExecution(Executor executor) {
    this.executor = executor;
  }

  void run(Runnable work) {
    unfinished.incrementAndGet();
    try {
      executor.execute(
          () -> {
            try {
              work.run();
            } finally {
              unfinished.decrementAndGet();
            }
          });
    } catch (RuntimeException e) {
      unfinished.decrementAndGet();
      throw e;
    }
  }

  /**
   * Waits until everything handed over has finished, or until {@code deadlineNanos} ({@link
   * System#nanoTime()}).
   *
   * @return whether everything finished
   */
  boolean awaitFinished(long deadlineNanos) throws InterruptedException {
    while (unfinished.get() > 0) {
      if (System.nanoTime() - deadlineNanos > 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }
}
