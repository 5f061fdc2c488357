package io.uplink.upstream;

import io.uplink.config.CcsSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.inject.Inject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The threads that notify the application's {@code @ObservesAsync} observers of upstream messages.
 * Left to itself, Weld hands every asynchronous notification to the container's default managed
 * executor, and Payara's executor captures the caller's context for each task by looking its
 * context providers up through the service loader, which reads the application's jars: per message
 * that cost more than the delivery itself, and the lanes fell behind (thread dumps of the crash
 * test). Threads from the container's managed thread factory carry the application's context from
 * their start, so tasks run on them need no capture. The notifications waiting for the threads are
 * bounded: when {@value #MAX_WAITING} wait, the lane that committed waits for room before it takes
 * its next messages, so slow observers slow delivery (and CCS's flow control holds the rest)
 * instead of filling the heap. At a graceful stop the waiting notifications get the drain timeout
 * to run. Thread-safe.
 */
@ApplicationScoped
public class AsyncObserverThreads {

  private static final Logger LOG = Logger.getLogger(AsyncObserverThreads.class.getName());

  /** Few: the observers share the cores with the lanes that deliver. */
  static final int THREADS = 2;

  private static final long ROOM_POLL_MILLIS = 100;

  /** Notifications waiting for the threads at most; beyond them the lanes wait. */
  static final int MAX_WAITING = 10_000;

  @Resource ManagedThreadFactory threads;
  @Inject CcsSettings ccs;

  private ThreadPoolExecutor executor;

  @PostConstruct
  void start() {
    executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MAX_WAITING),
            threads,
            AsyncObserverThreads::waitForRoom);
  }

  /**
   * Runs on the lane thread that committed: it waits until a notification has left the queue, or
   * the threads stop (then the notification is rejected, and {@link #run} says so).
   */
  private static void waitForRoom(Runnable notification, ThreadPoolExecutor full) {
    try {
      while (!full.isShutdown()) {
        if (full.getQueue().offer(notification, ROOM_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          if (full.isShutdown() && full.getQueue().remove(notification)) {
            break;
          }
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new RejectedExecutionException("stopped");
  }

  /**
   * Options that run a {@code fireAsync} notification on these threads; once they have stopped, a
   * notification is dropped with a warning (at most once, as the README states).
   */
  NotificationOptions options() {
    return NotificationOptions.ofExecutor(this::run);
  }

  private void run(Runnable notification) {
    try {
      executor.execute(notification);
    } catch (RejectedExecutionException e) {
      LOG.warning("An asynchronous observer notification was not run: the application is stopping");
    }
  }

  /**
   * Lets the queued notifications run for up to the drain timeout ({@code
   * uplink.ccs.drain-timeout}); those still queued then are lost, with a warning.
   */
  @PreDestroy
  void stop() {
    executor.shutdown();
    try {
      if (executor.awaitTermination(ccs.drainTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int lost = executor.shutdownNow().size();
    LOG.warning(lost + " asynchronous observer notification(s) not run at the stop");
  }
}
