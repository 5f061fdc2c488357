package io.uplink.downstream;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * The messages waiting to go out, per sender ID, each ready at a given time (now, or after a
 * retry's backoff). The XMPP layer takes them when a connection has room. Thread-safe.
 */
@ApplicationScoped
public class DownstreamQueue {

  /** How long a cancel mark waits for the dispatcher before it is dropped. */
  private static final Duration MARK_LIFETIME = Duration.ofHours(1);

  private final Map<String, DelayQueue<Ready>> queues = new ConcurrentHashMap<>();

  /**
   * Messages an operator cancelled while they were not queued (the dispatcher was placing them, or
   * they awaited CCS's answer), keyed by sender ID and message id, with when ({@link
   * System#nanoTime()}): the dispatcher drops them instead of writing them, now or on a retry.
   */
  private final Map<List<String>, Long> cancelMarks = new ConcurrentHashMap<>();

  /** Queues a message to be sent as soon as possible. */
  public void offer(Outbound message) {
    offer(message, Duration.ZERO);
  }

  /** Queues a message to be sent after a delay. */
  public void offer(Outbound message, Duration delay) {
    queueOf(message.senderId()).add(new Ready(message, System.nanoTime() + delay.toNanos()));
  }

  /**
   * The next message of a sender that is ready, waiting up to the timeout.
   *
   * @return null when none became ready
   */
  public Ready poll(String senderId, Duration timeout) throws InterruptedException {
    return queueOf(senderId).poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * The queued messages of a sender that became ready more than {@code wait} ago, for callers that
   * stop waiting while the messages stay queued. Weakly consistent: it may miss messages queued or
   * taken meanwhile.
   */
  public List<Outbound> waitingLongerThan(String senderId, Duration wait) {
    long readyBefore = System.nanoTime() - wait.toNanos();
    return queueOf(senderId).stream()
        .filter(ready -> ready.readyAtNanos() - readyBefore < 0)
        .map(Ready::message)
        .toList();
  }

  /**
   * Takes an operator's cancelled message out of the sender's queue; one not queued now is marked,
   * so that {@link #cancelled} stops it before it is written (again).
   *
   * @return the message, when it was queued
   */
  public Optional<Outbound> withdraw(String senderId, String messageId) {
    long now = System.nanoTime();
    cancelMarks.values().removeIf(markedAt -> now - markedAt > MARK_LIFETIME.toNanos());
    DelayQueue<Ready> queue = queueOf(senderId);
    for (Ready ready : queue) {
      if (ready.message().messageId().equals(messageId) && queue.remove(ready)) {
        return Optional.of(ready.message());
      }
    }
    cancelMarks.put(List.of(senderId, messageId), now);
    return Optional.empty();
  }

  /** Undoes {@link #withdraw}: the cancel did not happen after all. */
  public void undoWithdraw(String senderId, String messageId, Optional<Outbound> withdrawn) {
    withdrawn.ifPresentOrElse(this::offer, () -> cancelMarks.remove(List.of(senderId, messageId)));
  }

  /** Whether an operator cancelled the message after it left the queue; forgets the mark. */
  public boolean cancelled(Outbound message) {
    return !cancelMarks.isEmpty()
        && cancelMarks.remove(List.of(message.senderId(), message.messageId())) != null;
  }

  private DelayQueue<Ready> queueOf(String senderId) {
    return queues.computeIfAbsent(senderId, id -> new DelayQueue<>());
  }

  /**
   * A queued message and the {@link System#nanoTime()} from which it may go: the send timeout
   * counts from then.
   */
  public record Ready(Outbound message, long readyAtNanos) implements Delayed {

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(readyAtNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(readyAtNanos, ((Ready) other).readyAtNanos);
    }
  }
}
