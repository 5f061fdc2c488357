package io.uplink.downstream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Takes one sender's downstream messages off the queue and hands each to the next channel with
 * room, round robin: the sender's CCS connections, so load spreads over them and none ever has more
 * than its window unanswered (ccs-protocol.md §4.1), or its one HTTP v1 channel with its bound on
 * requests in flight. A message waits for room, and through the sender's pauses ({@link
 * SenderPause}), as long as it takes, until its {@code time_to_live} runs out; messages behind it
 * wait too, since no channel has room for them either. One container-managed thread per sender;
 * started and stopped by the transport that owns the channels.
 */
public final class SenderDispatch {

  private static final Logger LOG = Logger.getLogger(SenderDispatch.class.getName());
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long ROOM_WAIT_MILLIS = 50;
  private static final long WAIT_SWEEP_NANOS = Duration.ofSeconds(1).toNanos();

  private final String senderId;
  private final List<DownstreamChannel> channels;
  private final DownstreamQueue queue;
  private final DownstreamOutcomes outcomes;
  private final Duration sendTimeout;
  private final SendRoom room;
  private final SenderPause pause;
  private final Thread thread;
  private volatile boolean running = true;
  private int next;
  private long lastWaitSweep = System.nanoTime() - WAIT_SWEEP_NANOS;
  private long lastSpilledSweep = System.nanoTime();

  /**
   * @param sendTimeout how long a caller waits for room before its stage ends {@code TIMED_OUT}
   * @param room signalled by the channels when they may have room again
   */
  public SenderDispatch(
      String senderId,
      List<? extends DownstreamChannel> channels,
      DownstreamQueue queue,
      DownstreamOutcomes outcomes,
      Duration sendTimeout,
      SendRoom room,
      ThreadFactory threads) {
    this.senderId = senderId;
    this.channels = List.copyOf(channels);
    this.queue = queue;
    this.outcomes = outcomes;
    this.sendTimeout = sendTimeout;
    this.room = room;
    this.pause = outcomes.pauseOf(senderId);
    this.thread = threads.newThread(this::run);
    this.thread.setName("uplink-downstream-" + senderId);
  }

  public void start() {
    thread.start();
  }

  public boolean isAlive() {
    return thread.isAlive();
  }

  /** Stops taking messages; those still queued stay pending in the outbox. */
  public void stop() throws InterruptedException {
    running = false;
    thread.join(POLL.toMillis() * 5);
  }

  /** Stops every dispatcher of the list and empties it. */
  public static void stopAll(List<SenderDispatch> dispatches) {
    for (SenderDispatch dispatch : dispatches) {
      try {
        dispatch.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    dispatches.clear();
  }

  private void run() {
    try {
      while (running) {
        endSpilledWaits();
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
   * Sends the message as soon as a channel has room, the sender is not paused ({@link SenderPause})
   * and this instance may still send what it owns ({@link DownstreamQueue#permit}), however long
   * that takes (CCS or FCM down, every connection reconnecting or draining). A message another
   * instance took over while this one's heartbeat lapsed is let go unsent; its caller's wait ends.
   * After a send timeout of waiting the caller's stage is told so; the message itself waits on
   * until its {@code time_to_live} runs out, and then expires.
   */
  private void place(Outbound message, long readyAtNanos) throws InterruptedException {
    Duration holdBack = outcomes.holdBack(message);
    if (!holdBack.isZero()) {
      outcomes.resend(message, holdBack);
      return;
    }
    long timeout = readyAtNanos + sendTimeout.toNanos();
    while (running) {
      if (queue.cancelled(message)) {
        outcomes.cancelled(message);
        return;
      }
      if (message.expired(Instant.now())) {
        outcomes.expired(message);
        return;
      }
      DownstreamQueue.Permit permit = queue.permit(message);
      if (permit == DownstreamQueue.Permit.LET_GO) {
        queue.ended(message);
        outcomes.timedOut(message);
        return;
      }
      if (permit == DownstreamQueue.Permit.SEND && pause.mayTry()) {
        pause.sending();
        if (trySend(message)) {
          return;
        }
        pause.notSent();
      }
      if (System.nanoTime() - timeout > 0) {
        endLongWaits(message);
      }
      endSpilledWaits();
      room.await(ROOM_WAIT_MILLIS);
    }
    queue.offer(message);
  }

  /** Writes the message on the next channel with room, round robin. */
  private boolean trySend(Outbound message) {
    for (int i = 0; i < channels.size(); i++) {
      DownstreamChannel channel = channels.get(next);
      next = (next + 1) % channels.size();
      if (channel.trySend(message)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells the callers of messages waiting in the outbox beyond memory's window who waited a send
   * timeout that their wait is over; at most once a second.
   */
  private void endSpilledWaits() {
    long now = System.nanoTime();
    if (now - lastSpilledSweep < WAIT_SWEEP_NANOS) {
      return;
    }
    lastSpilledSweep = now;
    List<SenderBacklog.WaitingCaller> over = queue.spilledWaitingLongerThan(senderId, sendTimeout);
    over.forEach(caller -> outcomes.timedOut(senderId, caller.messageId(), caller.result()));
    if (!over.isEmpty()) {
      LOG.warning(
          over.size()
              + " downstream message(s) of sender "
              + senderId
              + " waiting in the outbox were not sent within "
              + sendTimeout
              + "; their callers stop waiting, the messages stay pending until sent or expired");
    }
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
              + " found no channel with room within "
              + sendTimeout
              + "; their callers stop waiting, the messages stay pending until sent or expired");
    }
  }
}
