package io.uplink.emulator;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CCS's side of every downstream message that has a {@code message_id}: it decides the ACK or NACK
 * (ccs-protocol.md §3.2-§3.4), counts the message as pending on its connection until the answer is
 * written (§4.1), delays or holds answers when a test asks for it, abandons the answers of a
 * connection that closes (§4.3), and schedules a delivery receipt for an ACKed message that asked
 * for one (§3.8).
 *
 * <p>The checks, in order; the first that fails answers the message:
 *
 * <ol>
 *   <li>the connection is draining: {@code CONNECTION_DRAINING} (§4.5), and a {@link
 *       ProtocolViolation} if the control was written more than the draining grace ago;
 *   <li>{@link DownstreamValidator}: {@code INVALID_JSON};
 *   <li>a fault queued with {@link CcsEmulator#failNext}, for the target, then for the sender;
 *   <li>the target: a malformed topic name gets {@code BAD_REGISTRATION}; a token is judged by the
 *       {@link TokenRegistry} ({@code BAD_REGISTRATION}, {@code DEVICE_UNREGISTERED});
 *   <li>the per-device rate, then the per-topic rate ({@code DEVICE_MESSAGE_RATE_EXCEEDED}, {@code
 *       TOPICS_MESSAGE_RATE_EXCEEDED}); every message that gets this far counts towards them;
 *   <li>the test's {@link DownstreamPolicy}; its ACK is the answer.
 * </ol>
 *
 * <p>Thread-safe. Decisions run on the connection's reader thread; delayed answers on the
 * emulator's timer; held answers on the thread that releases them.
 */
final class DownstreamResponder {

  private static final System.Logger LOG = System.getLogger(DownstreamResponder.class.getName());

  /**
   * One admitted message and, once decided, its answer. Identity matters: it is the key of its
   * connection's {@link DownstreamWindow}.
   */
  static final class Answer {
    private final EmulatedConnection connection;
    private final int recordIndex;
    private final DownstreamRecord received;
    private DownstreamReply reply;
    private String stanza;
    private DeliveryReceipt receipt;

    private Answer(EmulatedConnection connection, int recordIndex, DownstreamRecord received) {
      this.connection = connection;
      this.recordIndex = recordIndex;
      this.received = received;
    }
  }

  private final WireRecorder recorder;
  private final GcmJson json;
  private final UpstreamLedger ledger;
  private final ScheduledExecutorService timer;
  private final TokenRegistry tokens;
  private final FaultInjector faults;
  private final SlidingWindowLimiter deviceRate;
  private final SlidingWindowLimiter topicRate;
  private final DownstreamPolicy policy;
  private final long answerDelayNanos;
  private final long receiptDelayNanos;
  private final String receiptCategory;
  private final Object holdLock = new Object();
  private final List<Answer> held = new ArrayList<>();
  private volatile boolean holding;

  DownstreamResponder(
      WireRecorder recorder,
      GcmJson json,
      UpstreamLedger ledger,
      ScheduledExecutorService timer,
      TokenRegistry tokens,
      FaultInjector faults,
      SlidingWindowLimiter deviceRate,
      SlidingWindowLimiter topicRate,
      DownstreamPolicy policy,
      Duration answerDelay,
      Duration receiptDelay,
      String receiptCategory) {
    this.recorder = recorder;
    this.json = json;
    this.ledger = ledger;
    this.timer = timer;
    this.tokens = tokens;
    this.faults = faults;
    this.deviceRate = deviceRate;
    this.topicRate = topicRate;
    this.policy = policy;
    this.answerDelayNanos = answerDelay.toNanos();
    this.receiptDelayNanos = receiptDelay.toNanos();
    this.receiptCategory = receiptCategory;
  }

  /**
   * Takes a downstream message with a string {@code message_id} from the connection's reader.
   *
   * @throws StreamErrorException {@code policy-violation} when the connection's pending window was
   *     already full (§4.1 and the decision box of ccs-protocol.md)
   */
  void receive(
      EmulatedConnection connection,
      String stanzaId,
      String messageId,
      JsonObject payload,
      String text)
      throws StreamErrorException {
    String target = GcmJson.string(payload, "to");
    if (target == null) {
      target = GcmJson.string(payload, "condition");
    }
    DownstreamRecord received =
        new DownstreamRecord(
            connection.id(),
            connection.senderId(),
            stanzaId,
            messageId,
            target,
            DownstreamRecord.Outcome.PENDING,
            "",
            "",
            text,
            Instant.now(),
            null);
    Answer answer = new Answer(connection, recorder.downstream(received), received);
    DownstreamWindow window = connection.downstreamWindow();
    switch (window.admit(answer)) {
      case FULL -> {
        settle(answer, DownstreamRecord.Outcome.UNANSWERED, "pending limit exceeded", "");
        String violation =
            "downstream message "
                + messageId
                + " sent while "
                + window.limit()
                + " messages were pending on "
                + connection.id()
                + " (ccs-protocol.md §4.1)";
        recorder.violation(connection.id(), violation);
        abandon(connection);
        throw new StreamErrorException("policy-violation", violation);
      }
      case CLOSED -> {
        settle(answer, DownstreamRecord.Outcome.UNANSWERED, "connection closing", "");
        return;
      }
      case ADMITTED -> decide(answer, messageId, target, payload);
    }
    if (answerDelayNanos == 0) {
      release(answer);
    } else {
      try {
        timer.schedule(() -> release(answer), answerDelayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // The emulator is closing: like a closed connection, the message stays unanswered.
      }
    }
  }

  /** Holds every answer not yet written until {@link #releaseHeld()}, so pending builds up. */
  void hold() {
    holding = true;
  }

  /** Writes every held answer, in arrival order, and stops holding. */
  void releaseHeld() {
    List<Answer> batch;
    synchronized (holdLock) {
      holding = false;
      batch = List.copyOf(held);
      held.clear();
    }
    batch.forEach(this::write);
  }

  /** The connection is closing: its pending messages will never be answered (§4.3). */
  void abandon(EmulatedConnection connection) {
    for (Answer answer : connection.downstreamWindow().close()) {
      settle(answer, DownstreamRecord.Outcome.UNANSWERED, "connection closed first", "");
    }
  }

  private void decide(Answer answer, String messageId, String target, JsonObject payload) {
    EmulatedConnection connection = answer.connection;
    DownstreamReply reply = rules(connection, messageId, target, payload);
    answer.reply = reply;
    if (reply instanceof DownstreamReply.Nack nack
        && nack.error().equals(CcsEmulator.STANZA_ERROR_FAULT)) {
      // A stanza error echoes only the stanza id (§3.5).
      answer.stanza =
          Stanzas.messageError(
              answer.received.stanzaId(),
              connection.jid(),
              answer.received.json(),
              "InvalidJson: JSON_PARSING_ERROR : injected stanza error");
      return;
    }
    if (reply instanceof DownstreamReply.Nack nack) {
      answer.stanza =
          Stanzas.ackOrNack(json.nack(target, messageId, nack.error(), nack.description()));
      return;
    }
    String to = GcmJson.string(payload, "to");
    boolean token = to != null && !DownstreamValidator.isTopic(to);
    String canonical = token ? tokens.canonical(to) : null;
    answer.stanza = Stanzas.ackOrNack(json.downstreamAck(target, messageId, canonical));
    if (token
        && payload.get("delivery_receipt_requested") == JsonValue.TRUE
        && payload.get("dry_run") != JsonValue.TRUE) {
      answer.receipt = new DeliveryReceipt(receiptCategory, messageId, to, 0);
    }
  }

  private DownstreamReply rules(
      EmulatedConnection connection, String messageId, String target, JsonObject payload) {
    if (connection.isDraining()) {
      if (connection.isPastDrainingGrace()) {
        recorder.violation(
            connection.id(),
            "downstream message "
                + messageId
                + " sent on "
                + connection.id()
                + " after CONNECTION_DRAINING (ccs-protocol.md §4.5)");
      }
      return DownstreamReply.nack(
          "CONNECTION_DRAINING",
          "The connection is draining: retry the message over another connection");
    }
    DownstreamReply.Nack invalid = DownstreamValidator.check(payload);
    if (invalid != null) {
      return invalid;
    }
    DownstreamReply.Nack fault = faults.take(connection.senderId(), target);
    if (fault != null) {
      return fault;
    }
    String to = GcmJson.string(payload, "to");
    List<String> topics;
    if (to == null) {
      topics = DownstreamValidator.conditionTopics(target);
    } else if (DownstreamValidator.isTopic(to)) {
      if (!DownstreamValidator.isValidTopic(to)) {
        return DownstreamReply.nack("BAD_REGISTRATION", "Invalid topic on 'to' field: " + to);
      }
      topics = List.of(to.substring(DownstreamValidator.TOPIC_PREFIX.length()));
    } else {
      DownstreamReply.Nack badToken = tokens.check(to);
      if (badToken != null) {
        return badToken;
      }
      topics = List.of();
      if (deviceRate != null) {
        String canonical = tokens.canonical(to);
        if (deviceRate.tryAcquire(List.of(canonical == null ? to : canonical), System.nanoTime())
            != null) {
          return DownstreamReply.nack(
              "DEVICE_MESSAGE_RATE_EXCEEDED",
              "Downstream message rate exceeded for this registration id");
        }
      }
    }
    if (topicRate != null && !topics.isEmpty()) {
      String exceeded = topicRate.tryAcquire(topics, System.nanoTime());
      if (exceeded != null) {
        return DownstreamReply.nack(
            "TOPICS_MESSAGE_RATE_EXCEEDED",
            "Downstream message rate exceeded for topic " + exceeded);
      }
    }
    return policy.replyTo(
        new Downstream(connection.id(), connection.senderId(), messageId, target, payload));
  }

  private void release(Answer answer) {
    if (holding) {
      synchronized (holdLock) {
        if (holding) {
          held.add(answer);
          return;
        }
      }
    }
    write(answer);
  }

  /**
   * Writes the answer unless its connection abandoned it. The record is updated first, so a test
   * that has seen the answer also sees it in the record.
   */
  private void write(Answer answer) {
    EmulatedConnection connection = answer.connection;
    if (!connection.downstreamWindow().complete(answer)) {
      return;
    }
    if (answer.reply instanceof DownstreamReply.Nack nack) {
      settle(answer, DownstreamRecord.Outcome.NACKED, nack.error(), nack.description());
    } else {
      settle(answer, DownstreamRecord.Outcome.ACKED, "", "");
    }
    connection.send(answer.stanza);
    if (answer.receipt != null) {
      scheduleReceipt(connection, answer.receipt);
    }
  }

  private void scheduleReceipt(EmulatedConnection connection, DeliveryReceipt template) {
    Runnable sendReceipt =
        () -> {
          try {
            ledger.deliverReceipt(
                connection.senderId(),
                new DeliveryReceipt(
                    template.category(),
                    template.originalMessageId(),
                    template.deviceRegistrationId(),
                    System.currentTimeMillis()),
                connection);
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "emulator bug while sending a receipt", e);
            recorder.violation("emulator", "emulator bug while sending a receipt: " + e);
          }
        };
    try {
      timer.schedule(sendReceipt, receiptDelayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The emulator is closing: no device will confirm anything any more.
    }
  }

  private void settle(
      Answer answer, DownstreamRecord.Outcome outcome, String detail, String description) {
    Instant at = outcome == DownstreamRecord.Outcome.UNANSWERED ? null : Instant.now();
    recorder.replaceDownstream(
        answer.recordIndex, answer.received.settle(outcome, detail, description, at));
  }
}
