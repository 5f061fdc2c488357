package io.uplink.upstream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.NotificationOptions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The threads that notify the application's {@code @ObservesAsync} observers of upstream messages.
 * Left to itself, Weld hands every asynchronous notification to the container's default managed
 * executor, and Payara's executor captures the caller's context for each task by looking its
 * context providers up through the service loader, which reads the application's jars: per message
 * that cost more than the delivery itself, and the lanes fell behind (thread dumps of the crash
 * test). Threads from the container's managed thread factory carry the application's context from
 * their start, so tasks run on them need no capture. Thread-safe.
 */
@ApplicationScoped
public class AsyncObserverThreads {

  private static final Logger LOG = Logger.getLogger(AsyncObserverThreads.class.getName());

  /** Few: the observers share the cores with the lanes that deliver. */
  private static final int THREADS = 2;

  private static final long STOP_SECONDS = 5;

  @Resource ManagedThreadFactory threads;

  private ExecutorService executor;

  @PostConstruct
  void start() {
    executor = Executors.newFixedThreadPool(THREADS, threads);
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

  /** Lets queued notifications run for a few seconds; those still queued then are lost. */
  @PreDestroy
  void stop() {
    executor.shutdown();
    try {
      if (executor.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int lost = executor.shutdownNow().size();
    LOG.warning(lost + " asynchronous observer notification(s) not run at the stop");
  }
}
