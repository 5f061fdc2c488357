package io.uplink.downstream;

import io.uplink.cluster.LeaseFence;
import io.uplink.config.DownstreamSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The messages waiting to go out, per sender ID, each ready at a given time (now, or after a
 * retry's backoff). Memory holds at most {@code uplink.downstream.memory-window} of a sender's
 * pending messages; the rest wait in the outbox and are paged in by order ({@link SenderBacklog}).
 * The dispatchers take them when a channel has room. Thread-safe.
 */
@ApplicationScoped
public class DownstreamQueue {

  private static final Logger LOG = Logger.getLogger(DownstreamQueue.class.getName());

  /** How long a cancel mark waits for the dispatcher before it is dropped. */
  private static final Duration MARK_LIFETIME = Duration.ofHours(1);

  /** How long paging, or the check after a lapse, waits after the outbox could not be read. */
  private static final long REFILL_BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();

  @Inject DownstreamSettings settings;
  @Inject Outbox outbox;
  @Inject OrphanRows orphans;
  @Inject LeaseFence fence;

  private final Map<String, SenderBacklog> backlogs = new ConcurrentHashMap<>();
  private final Map<String, Long> refillFailedAtNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> lapseCheckFailedAtNanos = new ConcurrentHashMap<>();

  /**
   * Messages an operator cancelled while they were not queued (the dispatcher was placing them, or
   * they awaited CCS's answer), keyed by sender ID and message id, with when ({@link
   * System#nanoTime()}): the dispatcher drops them instead of writing them, now or on a retry.
   */
  private final Map<List<String>, Long> cancelMarks = new ConcurrentHashMap<>();

  /** A message is about to be committed to the outbox: no page may bring its row in meanwhile. */
  public void committing(Outbound message) {
    backlogOf(message.senderId()).committing(message);
  }

  /** A message's transaction did not commit after {@link #committing}. */
  public void abandoned(Outbound message) {
    backlogOf(message.senderId()).abandoned(message);
  }

  /**
   * Takes a message just committed to the outbox: into memory if the sender's window has room,
   * otherwise it waits in the outbox to be paged in, with its result if {@code resultAwaited}.
   */
  public void accepted(Outbound message, boolean resultAwaited) {
    backlogOf(message.senderId()).accepted(message, resultAwaited);
  }

  /** Pending rows of the sender were given to this instance in the outbox alone (adopted). */
  public void adopted(String senderId) {
    backlogOf(senderId).spill();
  }

  /** The message's end is recorded in the outbox: memory lets it go. */
  public void ended(Outbound message) {
    ended(message.senderId(), message.messageId());
  }

  /** The same, by ids: an operator's cancel is committed. */
  public void ended(String senderId, String messageId) {
    backlogOf(senderId).ended(messageId);
  }

  /** The sender's messages held in memory: queued, being written, awaiting an answer or ending. */
  public int held(String senderId) {
    return backlogOf(senderId).held();
  }

  /** Queues a message held already (one taken out and put back) to be sent as soon as possible. */
  public void offer(Outbound message) {
    offer(message, Duration.ZERO);
  }

  /** Queues a message held already (a retry, a resend) to be sent after a delay. */
  public void offer(Outbound message, Duration delay) {
    backlogOf(message.senderId()).offer(message, delay);
  }

  /**
   * The next message of a sender that is ready, waiting up to the timeout; pages spilled messages
   * in first when memory runs low. For the sender's dispatcher thread only.
   *
   * @return null when none became ready
   */
  public Ready poll(String senderId, Duration timeout) throws InterruptedException {
    SenderBacklog backlog = backlogOf(senderId);
    refill(senderId, backlog);
    return backlog.poll(timeout);
  }

  /**
   * Whether the dispatcher may send the message now: not while this instance's heartbeat is not
   * current ({@link LeaseFence}); after a lapse, what memory holds of the sender is checked against
   * the outbox once, and a message another instance owns now is let go. For the sender's dispatcher
   * thread only.
   */
  public Permit permit(Outbound message) {
    if (!fence.current()) {
      return Permit.WAIT;
    }
    SenderBacklog backlog = backlogOf(message.senderId());
    long lapses = fence.lapses();
    if (lapses != backlog.takenOver().lapsesChecked()
        && !checkAfterLapse(message.senderId(), backlog, lapses)) {
      return Permit.WAIT;
    }
    return backlog.takenOver().contains(message.messageId()) ? Permit.LET_GO : Permit.SEND;
  }

  private boolean checkAfterLapse(String senderId, SenderBacklog backlog, long lapses) {
    Long failedAt = lapseCheckFailedAtNanos.get(senderId);
    if (failedAt != null && System.nanoTime() - failedAt < REFILL_BACKOFF_NANOS) {
      return false;
    }
    Set<String> held = backlog.heldIds();
    Set<String> takenOver;
    try {
      takenOver = orphans.ownedByOthers(senderId, held);
      lapseCheckFailedAtNanos.remove(senderId);
    } catch (RuntimeException e) {
      lapseCheckFailedAtNanos.put(senderId, System.nanoTime());
      LOG.log(
          failedAt == null ? Level.WARNING : Level.FINE,
          "This instance's heartbeat lapsed and the outbox could not be read to see which messages"
              + " of sender "
              + senderId
              + " are still its own; it sends none until it can, trying again in a second",
          e);
      return false;
    }
    backlog.takenOver(takenOver, lapses);
    LOG.warning(
        "This instance's heartbeat lapsed (a pause longer than the lease): "
            + takenOver.size()
            + " of the "
            + held.size()
            + " downstream message(s) of sender "
            + senderId
            + " it held belong to another instance now and are let go unsent");
    return true;
  }

  /** What a dispatcher may do with the message it is about to send ({@link #permit}). */
  public enum Permit {
    SEND,
    /** This instance's heartbeat is not current: nothing is sent until it is. */
    WAIT,
    /** Another instance took the message over while this one's heartbeat lapsed. */
    LET_GO
  }

  /**
   * Ends the waits of the sender's callers whose messages are still in the outbox only and who have
   * waited longer than {@code timeout}: their results, to be completed {@code TIMED_OUT}.
   */
  public List<SenderBacklog.WaitingCaller> spilledWaitingLongerThan(
      String senderId, Duration timeout) {
    return backlogOf(senderId).waitedLongerThan(timeout);
  }

  private void refill(String senderId, SenderBacklog backlog) {
    Long failedAt = refillFailedAtNanos.get(senderId);
    if (failedAt != null && System.nanoTime() - failedAt < REFILL_BACKOFF_NANOS) {
      return;
    }
    try {
      backlog.refill();
      if (failedAt != null) {
        refillFailedAtNanos.remove(senderId);
        LOG.info("Paging pending messages of sender " + senderId + " in from the outbox again");
      }
    } catch (RuntimeException e) {
      refillFailedAtNanos.put(senderId, System.nanoTime());
      LOG.log(
          failedAt == null ? Level.WARNING : Level.FINE,
          "Could not page pending messages of sender "
              + senderId
              + " in from the outbox; they wait there, trying again in a second",
          e);
    }
  }

  /**
   * The queued messages of a sender that became ready more than {@code wait} ago, for callers that
   * stop waiting while the messages stay queued. Weakly consistent: it may miss messages queued or
   * taken meanwhile.
   */
  public List<Outbound> waitingLongerThan(String senderId, Duration wait) {
    long readyBefore = System.nanoTime() - wait.toNanos();
    List<Outbound> waiting = new ArrayList<>();
    for (Ready ready : backlogOf(senderId).queued()) {
      if (ready.readyAtNanos() - readyBefore < 0) {
        waiting.add(ready.message());
      }
    }
    return waiting;
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
    SenderBacklog backlog = backlogOf(senderId);
    for (Ready ready : backlog.queued()) {
      if (ready.message().messageId().equals(messageId) && backlog.remove(ready)) {
        return Optional.of(ready.message());
      }
    }
    cancelMarks.put(List.of(senderId, messageId), now);
    return Optional.empty();
  }

  /**
   * Undoes {@link #withdraw}: the cancel did not happen after all. A mark the dispatcher already
   * used dropped the message from memory without an end: it is let go, so that the outbox's rescan
   * brings it back and it is sent after all.
   */
  public void undoWithdraw(String senderId, String messageId, Optional<Outbound> withdrawn) {
    if (withdrawn.isPresent()) {
      offer(withdrawn.get());
    } else if (cancelMarks.remove(List.of(senderId, messageId)) == null) {
      ended(senderId, messageId);
    }
  }

  /** Whether an operator cancelled the message after it left the queue; forgets the mark. */
  public boolean cancelled(Outbound message) {
    return !cancelMarks.isEmpty()
        && cancelMarks.remove(List.of(message.senderId(), message.messageId())) != null;
  }

  private SenderBacklog backlogOf(String senderId) {
    return backlogs.computeIfAbsent(
        senderId,
        id -> new SenderBacklog(id, settings.memoryWindow(), outbox, settings.rescanInterval()));
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
