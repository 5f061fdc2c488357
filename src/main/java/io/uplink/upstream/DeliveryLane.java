package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One worker thread with its own queue. All messages of one device go to the same lane, so they are
 * delivered in the order they arrived and two copies of one message never race each other in this
 * instance. The worker takes what has queued up, at most {@code uplink.upstream.batch-size}
 * messages, and hands it to the processor as one batch: under load one commit serves many messages,
 * and a lone message is never kept waiting for company. The queue holds at most {@code
 * uplink.upstream.lane-capacity} messages and each message once: a copy CCS redelivers while the
 * first is still queued (delivery paused or slow), or a message beyond the capacity, is not queued
 * and stays unacked for CCS to redeliver later (ccs-protocol.md §4.2). The XMPP reader thread never
 * blocks on it. Thread-safe; started once and stopped once.
 */
final class DeliveryLane {

  private static final Logger LOG = Logger.getLogger(DeliveryLane.class.getName());

  private static final long POLL_MILLIS = 200;

  private final BlockingQueue<QueuedMessage> queue;
  private final Set<UpstreamKey> queuedKeys = ConcurrentHashMap.newKeySet();
  private final UpstreamProcessor processor;
  private final int batchSize;
  private final BooleanSupplier paused;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean finishing;
  private volatile boolean holding;

  DeliveryLane(
      String name,
      UpstreamProcessor processor,
      int batchSize,
      int capacity,
      ThreadFactory threads,
      BooleanSupplier paused) {
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.processor = processor;
    this.batchSize = batchSize;
    this.paused = paused;
    this.thread = threads.newThread(this::run);
    this.thread.setName(name);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues the message unless a copy of it is queued already (or held while delivery is paused) or
   * the lane is full. A copy that arrives while the first is being delivered is queued, and acked
   * as a duplicate after it.
   *
   * @return whether it was queued; if not, it stays unacked
   */
  boolean submit(UpstreamMessage message, Acknowledger acknowledger) {
    UpstreamKey key = UpstreamKey.of(message);
    if (!queuedKeys.add(key)) {
      return false;
    }
    if (!queue.offer(new QueuedMessage(message, acknowledger))) {
      queuedKeys.remove(key);
      return false;
    }
    return true;
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  /** Messages queued, and the one held while delivery is paused. */
  int backlog() {
    return queue.size() + (holding ? 1 : 0);
  }

  /**
   * Delivers and acks what is queued, then stops; by {@code deadlineNanos} ({@link
   * System#nanoTime()}) it stops after the batch in hand, and what is left stays unacked for CCS to
   * redeliver. A paused lane stops at once. The thread is never interrupted: an interrupt inside a
   * JDBC call can close an embedded database's file.
   *
   * @return whether the queue was empty when the lane stopped
   */
  boolean finish(long deadlineNanos) throws InterruptedException {
    finishing = true;
    long left = deadlineNanos - System.nanoTime();
    if (left > 0) {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }
    running = false;
    thread.join(POLL_MILLIS * 5);
    return queue.isEmpty();
  }

  private void run() {
    while (running) {
      QueuedMessage first;
      try {
        first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        if (finishing) {
          return;
        }
      } else if (awaitResumed()) {
        process(batchStartingWith(first));
      } else {
        return;
      }
    }
  }

  /**
   * Holds the message in hand while delivery is paused; false when the lane must stop first, which
   * leaves the message unacked.
   */
  private boolean awaitResumed() {
    if (!paused.getAsBoolean()) {
      return true;
    }
    holding = true;
    try {
      while (paused.getAsBoolean()) {
        if (finishing || !running) {
          return false;
        }
        Thread.sleep(POLL_MILLIS);
      }
      return true;
    } catch (InterruptedException e) {
      return false;
    } finally {
      holding = false;
    }
  }

  private List<QueuedMessage> batchStartingWith(QueuedMessage first) {
    List<QueuedMessage> batch = new ArrayList<>(Math.min(batchSize, queue.size() + 1));
    batch.add(first);
    queue.drainTo(batch, batchSize - 1);
    batch.forEach(queued -> queuedKeys.remove(UpstreamKey.of(queued.message())));
    return batch;
  }

  private void process(List<QueuedMessage> batch) {
    try {
      processor.process(batch);
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "Unexpected failure delivering "
              + batch.size()
              + " message(s), from "
              + batch.get(0).message(),
          e);
    }
  }
}
