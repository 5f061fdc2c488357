package io.uplink.xmpp;

import io.uplink.downstream.DownstreamOutcomes;
import io.uplink.downstream.DownstreamQueue;
import io.uplink.downstream.Outbound;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Takes one sender's downstream messages off the queue and writes each on the next connection whose
 * window has room, round robin, so load spreads over the connections and no connection ever has
 * more than its window unanswered (ccs-protocol.md §4.1). A message waits for room as long as it
 * takes, until its {@code time_to_live} runs out; messages behind it wait too, since no connection
 * has room for them either. One container-managed thread per sender; started and stopped with the
 * pool.
 */
final class SenderDispatch {

  private static final Logger LOG = Logger.getLogger(SenderDispatch.class.getName());
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long ROOM_WAIT_MILLIS = 50;
  private static final long WAIT_SWEEP_NANOS = Duration.ofSeconds(1).toNanos();

  private final String senderId;
  private final List<ConnectionSlot> slots;
  private final DownstreamQueue queue;
  private final PoolContext context;
  private final Thread thread;
  private volatile boolean running = true;
  private int next;
  private long lastWaitSweep = System.nanoTime() - WAIT_SWEEP_NANOS;

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

  /**
   * Sends the message as soon as a connection has room, however long that takes (CCS down, every
   * connection reconnecting or draining). After a send timeout of waiting the caller's stage is
   * told so; the message itself waits on until its {@code time_to_live} runs out, and then expires.
   */
  private void place(Outbound message, long readyAtNanos) throws InterruptedException {
    Duration holdBack = context.outcomes().holdBack(message);
    if (!holdBack.isZero()) {
      context.outcomes().resend(message, holdBack);
      return;
    }
    long timeout = readyAtNanos + context.downstream().sendTimeout().toNanos();
    while (running) {
      if (queue.cancelled(message)) {
        context.outcomes().cancelled(message);
        return;
      }
      if (message.expired(Instant.now())) {
        context.outcomes().expired(message);
        return;
      }
      for (int i = 0; i < slots.size(); i++) {
        ConnectionSlot slot = slots.get(next);
        next = (next + 1) % slots.size();
        if (slot.trySend(message)) {
          return;
        }
      }
      if (System.nanoTime() - timeout > 0) {
        endLongWaits(message);
      }
      context.room().await(ROOM_WAIT_MILLIS);
    }
    queue.offer(message);
  }

  /**
   * Tells the callers of this message and of every queued one that waited a send timeout that their
   * wait is over, and logs how many; at most once a second, as it walks the queue.
   */
  private void endLongWaits(Outbound message) {
    long now = System.nanoTime();
    if (now - lastWaitSweep < WAIT_SWEEP_NANOS) {
      return;
    }
    lastWaitSweep = now;
    DownstreamOutcomes outcomes = context.outcomes();
    Duration sendTimeout = context.downstream().sendTimeout();
    List<Outbound> waiting =
        Stream.concat(Stream.of(message), queue.waitingLongerThan(senderId, sendTimeout).stream())
            .filter(m -> !m.result().isDone())
            .toList();
    waiting.forEach(outcomes::timedOut);
    if (!waiting.isEmpty()) {
      LOG.warning(
          waiting.size()
              + " downstream message(s) of sender "
              + senderId
              + " found no connection with room within "
              + sendTimeout
              + "; their callers stop waiting, the messages stay pending until sent or expired");
    }
  }
}
