package io.uplink.downstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The threads that complete callers' stages and hand on token events are bounded: work that blocks
 * (a slow database, a slow callback) does not start a thread per answer; beyond the threads and the
 * waiting room, the thread handing work over runs it itself; everything handed over is counted
 * until it finished.
 */
class CountedExecutionTest {

  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AtomicInteger threadsStarted = new AtomicInteger();
  private final ThreadFactory counting =
      work -> {
        threadsStarted.incrementAndGet();
        Thread thread = new Thread(work, "counted-" + threadsStarted.get());
        thread.setDaemon(true);
        return thread;
      };
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountedExecution execution = new CountedExecution(counting, 4, 1000);

  @AfterEach
  void stop() {
    release.countDown();
    execution.stop();
  }

  @Test
  void aThousandBlockedTasksShareTheBoundedThreads() throws Exception {
    AtomicInteger finished = new AtomicInteger();
    for (int i = 0; i < 1000; i++) {
      execution.run(() -> blockThenCount(finished));
    }

    assertEquals(4, threadsStarted.get(), "threads for 1,000 blocked tasks");
    assertFalse(execution.awaitFinished(System.nanoTime()), "blocked work counts as unfinished");
    release.countDown();
    assertTrue(execution.awaitFinished(System.nanoTime() + WAIT_NANOS));
    assertEquals(1000, finished.get());
  }

  @Test
  void workBeyondTheThreadsAndTheWaitingRoomRunsOnTheThreadHandingItOver() throws Exception {
    CountedExecution small = new CountedExecution(counting, 2, 3);
    try {
      AtomicInteger finished = new AtomicInteger();
      for (int i = 0; i < 5; i++) {
        small.run(() -> blockThenCount(finished));
      }
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      small.run(() -> ranOn.set(Thread.currentThread()));

      assertEquals(Thread.currentThread(), ranOn.get(), "two running, three waiting: run here");
      release.countDown();
      assertTrue(small.awaitFinished(System.nanoTime() + WAIT_NANOS));
      assertEquals(5, finished.get());
    } finally {
      small.stop();
    }
  }

  @Test
  void delayedWorkRunsAfterItsDelayAndIsCountedMeanwhile() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    long start = System.nanoTime();
    execution.runAfter(Duration.ofMillis(200), ran::countDown);

    assertFalse(execution.awaitFinished(System.nanoTime()), "waiting work counts as unfinished");
    assertTrue(ran.await(10, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
    assertTrue(execution.awaitFinished(System.nanoTime() + WAIT_NANOS));
  }

  private void blockThenCount(AtomicInteger finished) {
    try {
      release.await();
      finished.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
