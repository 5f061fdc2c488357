package io.uplink.downstream;

import io.uplink.api.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.TimeUnit;

/**
 * One sender's pending messages on this instance, of which memory holds at most a window: the
 * outbox is the queue. The window bounds every message memory holds, queued or not (in flight, or
 * ending while its answer is recorded), so that answers recorded slower than they come slow the
 * paging down instead of filling the heap. Accepted messages go straight into memory while it has
 * room and nothing waits in the outbox before them; beyond the window they stay in the outbox only
 * ("spilled"), and the dispatcher pages them back in by outbox order whenever memory holds less
 * than half the window.
 *
 * <p>The backlog knows every message it <em>holds</em>: about to be committed, queued, being
 * written, awaiting an answer, or ending until its end is recorded. A page skips held messages, so
 * nothing is sent twice by this instance; a message that ends while a page is being read stays held
 * until the read is over, so that the read, which may have seen the row still pending, does not
 * bring it back. Spilling ends only with a pass through the outbox during which nothing spilled; a
 * new pass from the start follows every page that reaches the end, and one runs every {@code
 * uplink.downstream.rescan-interval} besides: it catches a message committed after the pages passed
 * its id (ids are handed out before commits, which finish in any order) and any pending row of this
 * instance that memory no longer holds.
 *
 * <p>A spilled message's caller keeps waiting on its result: the result waits here, without the
 * message, until the message is paged in or the send timeout ends the wait. Thread-safe.
 */
final class SenderBacklog {

  /** Rows looked at per read of a page: their ids only, the message itself only when taken. */
  static final int READ = 1_000;

  /**
   * Reads per refill, so that a long run of held rows does not keep the dispatcher from sending.
   */
  private static final int MAX_READS = 20;

  private final String senderId;
  private final int window;
  private final OutboxPages pages;
  private final long rescanEveryNanos;
  private final DelayQueue<DownstreamQueue.Ready> ready = new DelayQueue<>();

  /** The results of the messages held, by message id. */
  private final Map<String, CompletableFuture<SendResult>> held = new ConcurrentHashMap<>();

  /** Callers of spilled messages, by message id, and in the order they began to wait. */
  private final Map<String, WaitingCaller> waiting = new ConcurrentHashMap<>();

  private final ConcurrentLinkedQueue<WaitingCaller> waitingOrder = new ConcurrentLinkedQueue<>();

  /** Held messages that ended during a read: released when the read is over. Guarded by this. */
  private final Set<String> endedDuringRead = new HashSet<>();

  private final TakenOver takenOver = new TakenOver();

  /** Whether the outbox may hold pending rows of this instance that memory does not. */
  private boolean spilled;

  /** Messages spilled so far. */
  private long spills;

  /** {@link #spills} when the current pass began: it ends spilling only if none spilled since. */
  private long spillsAtPassStart;

  private boolean reading;

  /** The outbox id the next read starts after. */
  private long cursor;

  private long lastRescanNanos = System.nanoTime();

  SenderBacklog(String senderId, int window, OutboxPages pages, Duration rescanEvery) {
    this.senderId = senderId;
    this.window = window;
    this.pages = pages;
    this.rescanEveryNanos = rescanEvery.toNanos();
  }

  /**
   * A message about to be committed to the outbox: held from now on, so that no page brings its row
   * in before {@link #accepted} decides where it goes (the commit and that call are apart).
   */
  void committing(Outbound message) {
    held.put(message.messageId(), message.result());
  }

  /** The message's transaction did not commit: nothing to send. */
  void abandoned(Outbound message) {
    held.remove(message.messageId(), message.result());
  }

  /**
   * A message committed to the outbox after {@link #committing}: queued at once if memory has room
   * and nothing spilled waits before it; otherwise left in the outbox, its caller waiting here if
   * {@code resultAwaited} (the admin API answers at once and never looks).
   */
  synchronized void accepted(Outbound message, boolean resultAwaited) {
    int others = held.size() - (held.get(message.messageId()) == message.result() ? 1 : 0);
    if (!spilled && others < window) {
      held.put(message.messageId(), message.result());
      ready.add(new DownstreamQueue.Ready(message, System.nanoTime()));
      return;
    }
    held.remove(message.messageId(), message.result());
    spill();
    if (!resultAwaited) {
      return;
    }
    WaitingCaller caller =
        new WaitingCaller(message.messageId(), message.result(), System.nanoTime());
    waiting.put(caller.messageId(), caller);
    waitingOrder.add(caller);
  }

  /** Messages of this instance were written to the outbox without passing here (adopted). */
  synchronized void spill() {
    spilled = true;
    spills++;
  }

  /**
   * Queues a message held already (a retry, a resend) to go after the delay. It is not held anew: a
   * message let go meanwhile (cancelled while in flight) has an outbox row no page takes.
   */
  void offer(Outbound message, Duration delay) {
    ready.add(new DownstreamQueue.Ready(message, System.nanoTime() + delay.toNanos()));
  }

  DownstreamQueue.Ready poll(Duration timeout) throws InterruptedException {
    return ready.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The queued messages, for walks that may miss messages queued or taken meanwhile. */
  Iterable<DownstreamQueue.Ready> queued() {
    return ready;
  }

  boolean remove(DownstreamQueue.Ready queued) {
    return ready.remove(queued);
  }

  /** The message's end is recorded (or it was cancelled): the backlog lets it go. */
  synchronized void ended(String messageId) {
    takenOver.forget(messageId);
    if (reading) {
      endedDuringRead.add(messageId);
    } else {
      held.remove(messageId);
    }
  }

  /** The ids of the messages in memory now. */
  Set<String> heldIds() {
    return Set.copyOf(held.keySet());
  }

  /** The held messages another instance took over after a lapse of this one's heartbeat. */
  TakenOver takenOver() {
    return takenOver;
  }

  /**
   * Memory was checked after the fence's {@code lapses}-th lapse: of these messages, those still
   * held belong to another instance now. Atomic with {@link #ended}, so an id that ended meanwhile
   * is not kept.
   */
  synchronized void takenOver(Set<String> messageIds, long lapses) {
    Set<String> stillHeld = new HashSet<>(messageIds);
    stillHeld.retainAll(held.keySet());
    stillHeld.removeAll(endedDuringRead);
    takenOver.checked(stillHeld, lapses);
  }

  /** Messages in memory: queued, being written, awaiting an answer, or ending. */
  int held() {
    return held.size();
  }

  /**
   * Callers of spilled messages that have waited longer than {@code timeout}, taken out: their wait
   * ends, the messages stay pending.
   */
  List<WaitingCaller> waitedLongerThan(Duration timeout) {
    long before = System.nanoTime() - timeout.toNanos();
    List<WaitingCaller> over = new ArrayList<>();
    for (WaitingCaller caller = waitingOrder.peek();
        caller != null && caller.sinceNanos() - before < 0;
        caller = waitingOrder.peek()) {
      waitingOrder.poll();
      if (waiting.remove(caller.messageId(), caller)) {
        over.add(caller);
      }
    }
    return over;
  }

  /**
   * Pages spilled messages in, oldest first, when memory holds less than half the window (and on a
   * rescan); a few reads at most, so that the dispatcher goes back to sending. Runs on the
   * dispatcher's thread.
   */
  void refill() {
    for (int reads = 0; reads < MAX_READS; reads++) {
      long from;
      int room;
      synchronized (this) {
        if (System.nanoTime() - lastRescanNanos >= rescanEveryNanos) {
          lastRescanNanos = System.nanoTime();
          spilled = true;
          cursor = 0;
          spillsAtPassStart = spills;
        }
        room = window - held.size();
        if (!spilled || room < (window + 1) / 2) {
          return;
        }
        reading = true;
        from = cursor;
      }
      try {
        if (readPage(from, room)) {
          return;
        }
      } finally {
        synchronized (this) {
          reading = false;
          endedDuringRead.forEach(held::remove);
          endedDuringRead.clear();
        }
      }
    }
  }

  /**
   * Reads the next page after {@code from} and queues the messages not held, up to {@code room}.
   *
   * @return whether it queued any
   */
  private boolean readPage(long from, int room) {
    List<OutboxPages.PendingRow> rows = pages.pendingAfter(senderId, from, READ);
    List<Long> taken = new ArrayList<>();
    long next = rows.isEmpty() ? from : rows.get(rows.size() - 1).id();
    for (OutboxPages.PendingRow row : rows) {
      if (taken.size() == room) {
        next = row.id() - 1;
        break;
      }
      if (!held.containsKey(row.messageId())) {
        taken.add(row.id());
      }
    }
    List<Outbound> loaded = taken.isEmpty() ? List.of() : pages.load(senderId, taken);
    synchronized (this) {
      for (Outbound message : loaded) {
        queuePaged(message);
      }
      boolean atTheEnd = rows.size() < READ && taken.size() < room;
      if (atTheEnd) {
        if (spills == spillsAtPassStart) {
          spilled = false;
        }
        cursor = 0;
        spillsAtPassStart = spills;
      } else {
        cursor = next;
      }
    }
    return !loaded.isEmpty();
  }

  /** Queues a paged-in message, with its caller's result if one still waits. Guarded by this. */
  private void queuePaged(Outbound message) {
    String id = message.messageId();
    if (held.containsKey(id) || endedDuringRead.contains(id)) {
      return;
    }
    WaitingCaller caller = waiting.remove(id);
    Outbound queued = caller == null ? message : message.resultingIn(caller.result());
    held.put(id, queued.result());
    ready.add(new DownstreamQueue.Ready(queued, System.nanoTime()));
  }

  /**
   * The caller of a spilled message, waiting since {@link System#nanoTime()} {@code sinceNanos}.
   */
  record WaitingCaller(String messageId, CompletableFuture<SendResult> result, long sinceNanos) {}
}
