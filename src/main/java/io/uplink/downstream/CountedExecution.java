package io.uplink.downstream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs work on threads of its own and keeps count of what has not finished, so that a graceful stop
 * can wait until every answer already received is recorded. The threads come from the container's
 * managed thread factory, which gives them the application's context once, when each starts:
 * Payara's managed executor instead captures the caller's context for every task, through a
 * service-loader scan of the application's jars, which cost about a fifth of recording an ack. A
 * slow callback of the application holds up only its own thread; the threads and the work waiting
 * for them are bounded, and beyond both the thread handing work over runs it itself, which slows
 * the hand-over (the outbox writer) instead of starting a thread per answer while the database or a
 * callback is slow. Thread-safe.
 */
final class CountedExecution {

  private static final Logger LOG = Logger.getLogger(CountedExecution.class.getName());

  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService delays;
  private final AtomicInteger unfinished = new AtomicInteger();

  /**
   * @param maxThreads threads at most; idle ones end after a minute
   * @param maxWaiting work waiting for a thread at most
   */
  CountedExecution(ThreadFactory threads, int maxThreads, int maxWaiting) {
    this.executor =
        new ThreadPoolExecutor(
            maxThreads,
            maxThreads,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(maxWaiting),
            threads,
            CountedExecution::runHere);
    executor.allowCoreThreadTimeOut(true);
    this.delays = new ScheduledThreadPoolExecutor(1, threads);
  }

  /**
   * Every thread busy and the queue full: the work runs on the thread that handed it over; what it
   * throws is logged here, as a pool thread would, so that it never reads as a rejection.
   */
  private static void runHere(Runnable work, ThreadPoolExecutor full) {
    if (full.isShutdown()) {
      throw new RejectedExecutionException("stopped");
    }
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Downstream work failed on the thread that handed it over", e);
    }
  }

  /**
   * Runs the work on one of the threads, or on this one when all are busy and enough work waits;
   * once {@link #stop()} was called, the work is dropped with a warning (a message whose answer is
   * not recorded stays pending and is sent again after the restart).
   */
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
    } catch (RejectedExecutionException e) {
      unfinished.decrementAndGet();
      dropped();
    }
  }

  /**
   * Runs the work after the delay, counted as unfinished meanwhile, without holding a thread while
   * it waits; dropped like {@link #run} once {@link #stop()} was called.
   */
  void runAfter(Duration delay, Runnable work) {
    unfinished.incrementAndGet();
    try {
      delays.schedule(
          () -> {
            try {
              run(work);
            } finally {
              unfinished.decrementAndGet();
            }
          },
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      unfinished.decrementAndGet();
      dropped();
    }
  }

  private static void dropped() {
    LOG.warning(
        "Downstream work dropped, the application is stopping: a message whose answer it was"
            + " to record stays pending, and is sent again after the restart");
  }

  /**
   * Lets the work handed over so far finish, and takes no more; work waiting in {@link #runAfter}
   * is dropped with a warning.
   */
  void stop() {
    List<Runnable> waiting = delays.shutdownNow();
    if (!waiting.isEmpty()) {
      unfinished.addAndGet(-waiting.size());
      dropped();
    }
    executor.shutdown();
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
