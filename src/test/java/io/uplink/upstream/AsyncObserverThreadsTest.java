package io.uplink.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.uplink.config.SettingsReader;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous observers' bound: once {@link AsyncObserverThreads#MAX_WAITING} notifications
 * wait, the thread that commits the next delivery waits for room instead of queueing without end,
 * and nothing it hands over is dropped.
 */
class AsyncObserverThreadsTest {

  private final AsyncObserverThreads observers = new AsyncObserverThreads();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger ran = new AtomicInteger();

  @BeforeEach
  void start() {
    observers.threads = new PlainThreads();
    observers.ccs =
        new SettingsReader(
                key ->
                    Optional.ofNullable(
                        Map.of(
                                "uplink.ccs.sender-id", "123456789",
                                "uplink.ccs.server-key", "AIzaSyTestKey0123456789abcdefghijklmno",
                                "uplink.ccs.drain-timeout", "PT5S")
                            .get(key)))
            .ccs();
    observers.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    observers.stop();
  }

  @Test
  void aFullQueueMakesTheCommittingThreadWaitAndLosesNothing() throws Exception {
    Executor notify = observers.options().getExecutor();
    int held = AsyncObserverThreads.THREADS + AsyncObserverThreads.MAX_WAITING;
    for (int i = 0; i < held; i++) {
      notify.execute(this::runWhenReleased);
    }

    CountDownLatch handedOver = new CountDownLatch(1);
    CompletableFuture<Void> lane =
        CompletableFuture.runAsync(
            () -> {
              notify.execute(this::runWhenReleased);
              handedOver.countDown();
            },
            runnable -> new Thread(runnable, "lane").start());
    assertFalse(
        handedOver.await(500, TimeUnit.MILLISECONDS),
        "the committing thread waits while the queue is full");

    release.countDown();
    lane.get(30, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ran.get() < held + 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(held + 1, ran.get(), "every notification ran");
  }

  @Test
  void aStopRunsWhatWaitsWithinTheDrainTimeout() {
    Executor notify = observers.options().getExecutor();
    for (int i = 0; i < 100; i++) {
      notify.execute(this::runSlowly);
    }

    observers.stop();

    assertEquals(100, ran.get(), "the waiting notifications ran before the stop returned");
  }

  /** Takes 10 ms: 100 of them keep the two threads busy for half a second. */
  private void runSlowly() {
    try {
      Thread.sleep(10);
      ran.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runWhenReleased() {
    try {
      release.await();
      ran.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The container's thread factory, as far as these threads need one. */
  private static final class PlainThreads implements ManagedThreadFactory {

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "async-observer");
      thread.setDaemon(true);
      return thread;
    }

    @Override
    public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
      throw new UnsupportedOperationException("not used by the observer threads");
    }
  }
}
