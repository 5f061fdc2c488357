package io.uplink.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * CCS's upstream bookkeeping: which injected messages and delivery receipts are waiting for a
 * connection, which deliveries await an ack on which connection, and what must be delivered again
 * (ccs-protocol.md §3.8, §4.2, §4.3). A receipt is tracked like an upstream message from device
 * {@code gcm.googleapis.com} with id {@code dr2:<original>}, which is exactly what its ack names.
 *
 * <p>Every delivery of a message owes one ack, on the connection it went out on. A message is done
 * when any of its deliveries is acked; until then it is delivered again (round robin over the
 * sender's bound, non-draining connections) once the redelivery delay has passed since its last
 * delivery, and at once when the connection of its last delivery ends.
 *
 * <p>Flow control (§4.2): nothing goes to a connection whose {@link UpstreamWindow} is full. What
 * finds no connection with room waits in the sender's queue, oldest injection first, and goes out
 * as soon as an ack frees room or another connection of the sender is ready.
 *
 * <p>Thread-safe: one lock per sender; sends only enqueue, so no I/O happens under a lock.
 */
final class UpstreamLedger {

  private record Judgement(AckVerdict verdict, String detail) {}

  /** What an ack names: the device (or {@code gcm.googleapis.com}) and the message id. */
  record MessageKey(String from, String messageId) {}

  private final Map<String, SenderBook> books;
  private final long redeliveryDelayNanos;
  private final GcmJson json;
  private final WireRecorder recorder;
  private final Recorder ackLatencies = new Recorder(2);

  UpstreamLedger(
      Iterable<String> senderIds, Duration redeliveryDelay, GcmJson json, WireRecorder recorder) {
    Map<String, SenderBook> map = new HashMap<>();
    senderIds.forEach(id -> map.put(id, new SenderBook(id)));
    this.books = Map.copyOf(map);
    this.redeliveryDelayNanos = redeliveryDelay.toNanos();
    this.json = json;
    this.recorder = recorder;
  }

  void inject(String senderId, Upstream message) {
    book(senderId).inject(message);
  }

  /**
   * Delivers a receipt on {@code preferred} if it still takes deliveries, has room and nothing of
   * the sender waits, else on another connection of the sender with room, or queues it. A receipt
   * whose {@code dr2:} id still awaits an ack is not sent twice.
   */
  void deliverReceipt(String senderId, DeliveryReceipt receipt, EmulatedConnection preferred) {
    book(senderId).deliverReceipt(receipt, preferred);
  }

  void deliverMalformed(MalformedDelivery delivery, EmulatedConnection connection) {
    book(connection.senderId()).deliverMalformed(delivery, connection);
  }

  void connectionReady(EmulatedConnection connection) {
    book(connection.senderId()).connectionReady(connection);
  }

  void stopDeliveringTo(EmulatedConnection connection) {
    SenderBook book = book(connection.senderId());
    synchronized (book) {
      book.rotation.remove(connection);
    }
  }

  void connectionClosed(EmulatedConnection connection) {
    book(connection.senderId()).connectionClosed(connection);
  }

  /**
   * Judges and records an ack with string {@code to} and {@code message_id}. The record is written
   * under the sender's lock, so whoever sees the message acked also sees the ack record.
   */
  AckRecord acknowledge(EmulatedConnection connection, String to, String messageId, String text) {
    return book(connection.senderId()).acknowledge(connection, new MessageKey(to, messageId), text);
  }

  /** Sends the message on {@code connection} now, full window or not: the test asked for it. */
  void redeliver(String senderId, String from, String messageId, EmulatedConnection connection) {
    book(senderId).redeliver(from, messageId, connection);
  }

  void redeliverOverdue() {
    long now = System.nanoTime();
    books.values().forEach(book -> book.redeliverOverdue(now));
  }

  List<Upstream> unacked(String senderId) {
    return book(senderId).unacked(Upstream.class);
  }

  List<DeliveryReceipt> unackedReceipts(String senderId) {
    return book(senderId).unacked(DeliveryReceipt.class);
  }

  /**
   * Microseconds from writing each delivery to its connection to reading its valid ack, recorded
   * since the previous call.
   */
  Histogram takeAckLatencies() {
    return ackLatencies.getIntervalHistogram();
  }

  int unackedCount() {
    return books.values().stream().mapToInt(SenderBook::unackedCount).sum();
  }

  /**
   * The sender's messages and receipts waiting for a connection: none is bound, or every one has a
   * full {@link UpstreamWindow}.
   */
  int waitingCount(String senderId) {
    return book(senderId).waitingCount();
  }

  private SenderBook book(String senderId) {
    SenderBook book = books.get(senderId);
    if (book == null) {
      throw new IllegalArgumentException(
          "unknown sender ID " + senderId + "; configured: " + books.keySet());
    }
    return book;
  }

  /** State of one injected message; guarded by its sender's book. */
  private static final class Tracked {
    final long sequence;
    final MessageKey key;
    final Deliverable message;
    String stanza;
    boolean acked;
    boolean waiting;
    long lastSentNanos;
    EmulatedConnection lastConnection;

    Tracked(long sequence, MessageKey key, Deliverable message, String stanza) {
      this.sequence = sequence;
      this.key = key;
      this.message = message;
      this.stanza = stanza;
    }
  }

  /** Everything about one sender; all fields guarded by {@code this}. */
  private final class SenderBook {
    private final String senderId;
    private final List<EmulatedConnection> rotation = new ArrayList<>();
    private final TreeSet<Tracked> waiting =
        new TreeSet<>(Comparator.comparingLong(tracked -> tracked.sequence));
    private final LinkedHashMap<MessageKey, Tracked> inFlight = new LinkedHashMap<>();
    private final Map<MessageKey, Tracked> known = new HashMap<>();
    private final Map<EmulatedConnection, Map<MessageKey, Integer>> awaitingAck = new HashMap<>();
    private int cursor;
    private long nextSequence;

    SenderBook(String senderId) {
      this.senderId = senderId;
    }

    synchronized void inject(Upstream message) {
      MessageKey key = new MessageKey(message.from(), message.messageId());
      Tracked existing = known.get(key);
      if (existing != null && !existing.acked) {
        throw new IllegalArgumentException(
            "message "
                + message.messageId()
                + " from "
                + message.from()
                + " is already awaiting an ack; message_id must be unique per device");
      }
      Tracked tracked = new Tracked(nextSequence++, key, message, stanza(message));
      known.put(key, tracked);
      place(tracked);
    }

    synchronized void deliverReceipt(DeliveryReceipt receipt, EmulatedConnection preferred) {
      MessageKey key = new MessageKey(receipt.from(), receipt.messageId());
      Tracked existing = known.get(key);
      if (existing != null && !existing.acked) {
        return;
      }
      Tracked tracked = new Tracked(nextSequence++, key, receipt, stanza(receipt));
      known.put(key, tracked);
      if (waiting.isEmpty()
          && rotation.contains(preferred)
          && preferred.upstreamWindow().hasRoom()) {
        deliver(tracked, preferred);
      } else {
        place(tracked);
      }
    }

    synchronized void deliverMalformed(MalformedDelivery delivery, EmulatedConnection connection) {
      MessageKey key = new MessageKey(delivery.from(), delivery.messageId());
      Tracked tracked = new Tracked(nextSequence++, key, delivery, delivery.xml());
      known.put(key, tracked);
      deliver(tracked, connection);
    }

    synchronized void connectionReady(EmulatedConnection connection) {
      if (!connection.isBound()) {
        return;
      }
      rotation.add(connection);
      pump();
    }

    synchronized void connectionClosed(EmulatedConnection connection) {
      rotation.remove(connection);
      awaitingAck.remove(connection);
      connection.upstreamWindow().clear();
      List<Tracked> orphaned =
          inFlight.values().stream().filter(t -> t.lastConnection == connection).toList();
      orphaned.forEach(this::hold);
      pump();
    }

    synchronized AckRecord acknowledge(EmulatedConnection connection, MessageKey key, String text) {
      Judgement judgement = judge(connection, key);
      AckRecord record =
          new AckRecord(
              connection.id(),
              senderId,
              key.from(),
              key.messageId(),
              judgement.verdict(),
              judgement.detail(),
              text,
              Instant.now());
      recorder.ack(record);
      if (record.valid()) {
        pump();
      }
      return record;
    }

    private Judgement judge(EmulatedConnection connection, MessageKey key) {
      Map<MessageKey, Integer> owed = awaitingAck.get(connection);
      Integer count = owed == null ? null : owed.get(key);
      if (count != null) {
        if (count == 1) {
          owed.remove(key);
        } else {
          owed.put(key, count - 1);
        }
        Tracked tracked = known.get(key);
        ackLatencies.recordValue((System.nanoTime() - tracked.lastSentNanos) / 1_000);
        if (!tracked.acked) {
          tracked.acked = true;
          tracked.stanza = null;
          inFlight.remove(key);
          for (EmulatedConnection owing : awaitingAck.keySet()) {
            owing.upstreamWindow().settled(key);
          }
          // An earlier delivery can be acked while a redelivery waits for room: it is done.
          if (tracked.waiting) {
            waiting.remove(tracked);
            tracked.waiting = false;
          }
        }
        return new Judgement(AckVerdict.VALID, "");
      }
      for (Map.Entry<EmulatedConnection, Map<MessageKey, Integer>> other : awaitingAck.entrySet()) {
        if (other.getValue().containsKey(key)) {
          return new Judgement(
              AckVerdict.WRONG_CONNECTION,
              "delivered on " + other.getKey().id() + ", acked on " + connection.id());
        }
      }
      if (owed != null) {
        for (MessageKey pending : owed.keySet()) {
          if (pending.messageId().equals(key.messageId())) {
            return new Judgement(
                AckVerdict.WRONG_TO,
                "to is " + key.from() + " but the message came from " + pending.from());
          }
        }
      }
      if (known.containsKey(key)) {
        return new Judgement(
            AckVerdict.NOT_AWAITING_ACK,
            "no delivery of this message awaits an ack (already acked, or its connection closed)");
      }
      return new Judgement(
          AckVerdict.UNKNOWN_MESSAGE_ID,
          "no upstream message " + key.messageId() + " from " + key.from());
    }

    synchronized void redeliver(String from, String messageId, EmulatedConnection connection) {
      if (!senderId.equals(connection.senderId()) || !connection.isBound()) {
        throw new IllegalStateException(
            connection + " is not a bound connection of sender " + senderId);
      }
      List<Tracked> matches =
          known.values().stream()
              .filter(
                  t ->
                      t.key.messageId().equals(messageId)
                          && (from == null || t.key.from().equals(from)))
              .toList();
      if (matches.size() != 1) {
        throw new IllegalArgumentException(
            matches.size()
                + " messages of sender "
                + senderId
                + " match message_id "
                + messageId
                + (from == null ? "" : " from " + from)
                + (matches.isEmpty() ? "" : "; name the device"));
      }
      Tracked tracked = matches.get(0);
      if (tracked.waiting) {
        waiting.remove(tracked);
        tracked.waiting = false;
      }
      tracked.acked = false;
      deliver(tracked, connection);
    }

    synchronized void redeliverOverdue(long now) {
      List<Tracked> due = new ArrayList<>();
      for (Tracked tracked : inFlight.values()) {
        if (now - tracked.lastSentNanos < redeliveryDelayNanos) {
          break;
        }
        due.add(tracked);
      }
      due.forEach(this::hold);
      pump();
    }

    synchronized <T extends Deliverable> List<T> unacked(Class<T> type) {
      return known.values().stream()
          .filter(t -> !t.acked && type.isInstance(t.message))
          .map(t -> type.cast(t.message))
          .toList();
    }

    synchronized int unackedCount() {
      return inFlight.size() + waiting.size();
    }

    synchronized int waitingCount() {
      return waiting.size();
    }

    /** Queues the message and sends whatever the sender's connections have room for. */
    private void place(Tracked tracked) {
      hold(tracked);
      pump();
    }

    private void hold(Tracked tracked) {
      inFlight.remove(tracked.key);
      if (!tracked.waiting) {
        tracked.waiting = true;
        waiting.add(tracked);
      }
    }

    /** Sends waiting messages, oldest first, while some connection in the rotation has room. */
    private void pump() {
      while (!waiting.isEmpty()) {
        EmulatedConnection connection = next();
        if (connection == null) {
          return;
        }
        Tracked tracked = waiting.pollFirst();
        tracked.waiting = false;
        deliver(tracked, connection);
      }
    }

    private void deliver(Tracked tracked, EmulatedConnection connection) {
      awaitingAck
          .computeIfAbsent(connection, c -> new HashMap<>())
          .merge(tracked.key, 1, Integer::sum);
      connection.upstreamWindow().delivered(tracked.key);
      tracked.lastConnection = connection;
      tracked.lastSentNanos = System.nanoTime();
      inFlight.remove(tracked.key);
      inFlight.put(tracked.key, tracked);
      if (tracked.stanza == null) {
        tracked.stanza = stanza(tracked.message);
      }
      connection.send(tracked.stanza);
    }

    /** The next connection in the rotation with room in its window, or null if there is none. */
    private EmulatedConnection next() {
      for (int tried = 0; tried < rotation.size(); tried++) {
        EmulatedConnection connection = rotation.get(Math.floorMod(cursor++, rotation.size()));
        if (connection.upstreamWindow().hasRoom()) {
          return connection;
        }
      }
      return null;
    }

    private String stanza(Deliverable message) {
      if (message instanceof MalformedDelivery malformed) {
        return malformed.xml();
      }
      return Stanzas.upstream(
          senderId,
          message instanceof Upstream upstream
              ? json.upstream(upstream)
              : json.receipt((DeliveryReceipt) message));
    }
  }
}
