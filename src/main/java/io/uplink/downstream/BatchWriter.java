package io.uplink.downstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One thread that takes what other threads queue and hands it on in batches: everything waiting
 * when it is free, up to a bound, so that the outbox commits once per batch under load and at once
 * for a lone item. The container interrupts its managed threads as the application starts to stop,
 * before the graceful stop has waited for the writer: the writer ignores that and ends when {@link
 * #stop} says so. Thread-safe; {@link #start} once, {@link #stop} once.
 *
 * @param <T> what is queued
 */
final class BatchWriter<T> {

  private static final Logger LOG = Logger.getLogger(BatchWriter.class.getName());
  private static final Duration POLL = Duration.ofMillis(200);

  private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
  private final int maxBatch;
  private final Consumer<List<T>> write;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param write handles one batch; what it throws is logged and the writer goes on
   */
  BatchWriter(String name, int maxBatch, ThreadFactory threads, Consumer<List<T>> write) {
    this.maxBatch = maxBatch;
    this.write = write;
    this.thread = threads.newThread(this::run);
    this.thread.setName(name);
  }

  void start() {
    thread.start();
  }

  String name() {
    return thread.getName();
  }

  /** Whether it still takes items: false once {@link #stop} was called. */
  boolean isRunning() {
    return running;
  }

  void add(T item) {
    queue.add(item);
  }

  /**
   * Stops taking items and waits a moment for the batch being written.
   *
   * @return what was still queued, never to be written
   */
  List<T> stop() {
    running = false;
    try {
      thread.join(POLL.toMillis() * 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<T> left = new ArrayList<>();
    queue.drainTo(left);
    return left;
  }

  private void run() {
    List<T> batch = new ArrayList<>(maxBatch);
    while (running) {
      try {
        T first = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        write.accept(List.copyOf(batch));
      } catch (InterruptedException e) {
        LOG.fine(() -> thread.getName() + " interrupted; it goes on until the application stops");
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, thread.getName() + " failed on a batch; it goes on", e);
      } finally {
        batch.clear();
      }
    }
  }
}
