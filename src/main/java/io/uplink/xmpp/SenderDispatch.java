package io.uplink.xmpp;

import io.uplink.downstream.DownstreamQueue;
import io.uplink.downstream.Outbound;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes one sender's downstream messages off the queue and writes each on the next connection whose
 * window has room, round robin, so load spreads over the connections and no connection ever has
 * more than its window unanswered (ccs-protocol.md §4.1). A message waits for room at most {@code
 * uplink.downstream.send-timeout}, then its send fails. One container-managed thread per sender;
 * started and stopped with the pool.
 */
final class SenderDispatch {

  private static final Logger LOG = Logger.getLogger(SenderDispatch.class.getName());
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long ROOM_WAIT_MILLIS = 50;

  private final String senderId;
  private final List<ConnectionSlot> slots;
  private final DownstreamQueue queue;
  private final PoolContext context;
  private final Thread thread;
  private volatile boolean running = true;
  private int next;

  SenderDispatch(
      String senderId,
      List<ConnectionSlot> slots,
      DownstreamQueue queue,
      PoolContext context,
      ThreadFactory threads) {
    this.senderId = senderId;
    this.slots = List.copyOf(slots);
    this.queue = queue;
    this.context = context;
    this.thread = threads.newThread(this::run);
    this.thread.setName("uplink-downstream-" + senderId);
  }

  void start() {
    thread.start();
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  /** Stops taking messages; those still queued stay pending in the outbox. */
  void stop() throws InterruptedException {
    running = false;
    thread.join(POLL.toMillis() * 5);
  }

  private void run() {
    try {
      while (running) {
        DownstreamQueue.Ready ready = queue.poll(senderId, POLL);
        if (ready != null) {
          place(ready.message(), ready.readyAtNanos());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Downstream dispatch of sender " + senderId + " stopped", e);
    }
  }

  /** Sends the message, or fails it once it has waited a send timeout since it became ready. */
  private void place(Outbound message, long readyAtNanos) throws InterruptedException {
    Duration holdBack = context.outcomes().holdBack(message);
    if (!holdBack.isZero()) {
      queue.offer(message, holdBack);
      return;
    }
    long deadline = readyAtNanos + context.downstream().sendTimeout().toNanos();
    while (running) {
      for (int i = 0; i < slots.size(); i++) {
        ConnectionSlot slot = slots.get(next);
        next = (next + 1) % slots.size();
        if (slot.trySend(message)) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        context.outcomes().timedOut(message);
        return;
      }
      context.room().await(ROOM_WAIT_MILLIS);
    }
    queue.offer(message);
  }
}
