package io.uplink.downstream;

import io.uplink.api.BacklogFullException;
import io.uplink.api.Downstream;
import io.uplink.api.DownstreamSender;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.api.SendResult;
import io.uplink.ccs.CcsCodec;
import io.uplink.config.CcsSettings;
import io.uplink.config.DownstreamSettings;
import io.uplink.config.SenderSettings;
import io.uplink.fcm.HttpV1Message;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Total;
import io.uplink.transactions.TransactionEnd;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.TransactionalException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The gateway's {@link DownstreamSender}: writes each message to the outbox, in the form its
 * sender's transport sends (CCS's JSON, or an HTTP v1 request), and queues it for that transport
 * once the caller's transaction commits. Thread-safe.
 */
@ApplicationScoped
public class OutboxSender implements DownstreamSender {

  private static final Logger LOG = Logger.getLogger(OutboxSender.class.getName());
  private static final Duration NOW_OR_NEVER = Duration.ofSeconds(1);

  /** When a send refused for a full backlog may try again, unless the sender pauses longer. */
  private static final Duration BACKLOG_RETRY = Duration.ofSeconds(1);

  @Inject CcsSettings ccs;
  @Inject DownstreamSettings downstream;
  @Inject SenderPauses pauses;
  @Inject CcsCodec codec;
  @Inject Outbox outbox;
  @Inject GroupCommit groupCommit;
  @Inject DownstreamQueue queue;
  @Inject GatewayCounters counters;

  @Resource TransactionSynchronizationRegistry transactions;

  @Override
  public CompletionStage<SendResult> send(Downstream message) {
    return send(defaultSenderId(), message);
  }

  @Override
  public CompletionStage<SendResult> send(String senderId, Downstream message) {
    return accept(senderId, message, true).result();
  }

  /**
   * Accepts a message for sending and tells its id at once, for callers that answer before CCS does
   * (the admin API). In the caller's transaction when there is one; otherwise in a transaction
   * shared with other callers' sends waiting at the same moment ({@link GroupCommit}).
   *
   * @param resultAwaited false for a caller that never looks at the result: while the message waits
   *     in the outbox beyond memory's window, nothing of it is kept in memory
   */
  public Accepted accept(String senderId, Downstream message, boolean resultAwaited) {
    SenderSettings sender = sender(senderId);
    admit(senderId, 1);
    Outbound outbound = outbound(sender, identified(message));
    queue.committing(outbound);
    try {
      if (transactions.getTransactionStatus() == Status.STATUS_NO_TRANSACTION) {
        groupCommit.accept(outbound);
      } else {
        outbox.accept(outbound);
      }
    } catch (RuntimeException e) {
      queue.abandoned(outbound);
      throw e;
    }
    queueOnceCommitted(outbound, resultAwaited);
    return new Accepted(outbound.messageId(), outbound.result().minimalCompletionStage());
  }

  @Override
  public List<CompletionStage<SendResult>> sendEach(List<Downstream> messages) {
    return sendEach(defaultSenderId(), messages);
  }

  @Override
  public List<CompletionStage<SendResult>> sendEach(String senderId, List<Downstream> messages) {
    return results(acceptEach(senderId, messages.stream().map(OutboxSender::given).toList(), true));
  }

  @Override
  public List<CompletionStage<SendResult>> sendEachForMulticast(
      String senderId, Downstream message, List<String> tokens) {
    if (message.messageId().isPresent()) {
      throw new IllegalArgumentException(
          "a multicast message has no message_id of its own: each copy gets one");
    }
    return results(
        acceptEach(
            senderId,
            tokens.stream()
                .map(token -> (Supplier<Downstream>) () -> message.forToken(token))
                .toList(),
            true));
  }

  /**
   * Accepts a batch in one outbox transaction (the caller's, when there is one). Each candidate is
   * read by its supplier, which throws {@link InvalidDownstreamException} for one that is not a
   * valid message; it, one its transport cannot carry, and one whose {@code message_id} the sender
   * used before or that comes twice in the batch are refused by themselves. A batch that lost a
   * race for a {@code message_id} with a concurrent send is tried once more, outside a caller's
   * transaction, so that the message found taken is refused by itself.
   *
   * @param resultAwaited as for {@link #accept}
   * @return one entry per candidate, in order
   * @throws IllegalArgumentException for a sender ID that is not configured, or more than {@link
   *     DownstreamSender#MAX_BATCH} candidates
   */
  public List<BatchEntry> acceptEach(
      String senderId, List<? extends Supplier<Downstream>> candidates, boolean resultAwaited) {
    SenderSettings sender = sender(senderId);
    if (candidates.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "at most " + MAX_BATCH + " messages a batch: " + candidates.size() + " given");
    }
    admit(senderId, candidates.size());
    List<BatchEntry> entries = new ArrayList<>();
    Map<String, Outbound> batch = new LinkedHashMap<>();
    for (Supplier<Downstream> candidate : candidates) {
      entries.add(admitted(sender, candidate, batch));
    }
    batch.values().forEach(queue::committing);
    Set<String> used;
    try {
      used = recordNew(senderId, List.copyOf(batch.values()));
    } catch (RuntimeException e) {
      batch.values().forEach(queue::abandoned);
      throw e;
    }
    List<BatchEntry> results = new ArrayList<>(entries.size());
    for (BatchEntry entry : entries) {
      results.add(
          entry.refusal().isEmpty() && used.contains(entry.messageId())
              ? BatchEntry.refused(
                  entry.messageId(), "message_id already used by sender " + senderId)
              : entry);
    }
    for (Outbound outbound : batch.values()) {
      if (used.contains(outbound.messageId())) {
        queue.abandoned(outbound);
      } else {
        queueOnceCommitted(outbound, resultAwaited);
      }
    }
    long refused = results.stream().filter(e -> e.refusal().isPresent()).count();
    if (refused > 0) {
      for (long i = 0; i < refused; i++) {
        counters.count(Total.DOWNSTREAM_REFUSED, senderId);
      }
      LOG.info(
          "A batch of sender "
              + senderId
              + " had "
              + refused
              + " of "
              + results.size()
              + " message(s) refused; the results say why");
    }
    return results;
  }

  /** One candidate of a batch: refused, or added to the batch's messages by its id. */
  private BatchEntry admitted(
      SenderSettings sender, Supplier<Downstream> candidate, Map<String, Outbound> batch) {
    Downstream message;
    try {
      message = identified(candidate.get());
    } catch (InvalidDownstreamException e) {
      return BatchEntry.refused(null, e.getMessage());
    }
    String messageId = message.messageId().orElseThrow();
    if (batch.containsKey(messageId)) {
      return BatchEntry.refused(messageId, "message_id comes twice in the batch");
    }
    Outbound outbound;
    try {
      outbound = outbound(sender, message);
    } catch (InvalidDownstreamException e) {
      return BatchEntry.refused(messageId, e.getMessage());
    }
    batch.put(messageId, outbound);
    return new BatchEntry(messageId, Optional.empty(), outbound.result().minimalCompletionStage());
  }

  /** Records the batch's messages whose ids are new; the ids the sender had used before. */
  private Set<String> recordNew(String senderId, List<Outbound> messages) {
    try {
      return outbox.acceptNew(senderId, messages);
    } catch (PersistenceException | TransactionalException e) {
      if (transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
        throw e;
      }
      LOG.info("A batch of sender " + senderId + " raced a send for a message_id; trying it again");
      return outbox.acceptNew(senderId, messages);
    }
  }

  /**
   * Refuses {@code count} more messages when they would take the sender past {@code
   * uplink.downstream.max-pending} pending here (accepted or adopted, not yet at an end).
   */
  private void admit(String senderId, int count) {
    long pending = counters.downstreamPending(senderId);
    if (pending + count <= downstream.maxPending()) {
      return;
    }
    for (int i = 0; i < count; i++) {
      counters.count(Total.DOWNSTREAM_BACKLOG_REFUSALS, senderId);
    }
    Duration pause = pauses.of(senderId).left();
    throw new BacklogFullException(
        senderId,
        pending,
        downstream.maxPending(),
        pause.compareTo(BACKLOG_RETRY) > 0 ? pause : BACKLOG_RETRY);
  }

  private static List<CompletionStage<SendResult>> results(List<BatchEntry> entries) {
    return entries.stream().map(BatchEntry::result).toList();
  }

  private static Supplier<Downstream> given(Downstream message) {
    return () -> message;
  }

  private SenderSettings sender(String senderId) {
    return ccs.senders().stream()
        .filter(s -> s.senderId().equals(senderId))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("sender ID " + senderId + " is not configured"));
  }

  private static Downstream identified(Downstream message) {
    return message.messageId().isPresent() ? message : message.withMessageId(newMessageId());
  }

  /** The message in the form its sender's transport sends: CCS's JSON, or an HTTP v1 request. */
  private Outbound outbound(SenderSettings sender, Downstream message) {
    Instant expiresAt = expiryOf(message);
    String json =
        sender.sendsOverHttpV1()
            ? HttpV1Message.request(message, expiresAt)
            : codec.downstream(message);
    return Outbound.accepted(
        sender.senderId(),
        message.messageId().orElseThrow(),
        message.targetKey(),
        message.target(),
        json,
        expiresAt);
  }

  /** The first configured sender ID, used when a caller names none. */
  public String defaultSenderId() {
    return ccs.senders().get(0).senderId();
  }

  /** A message accepted into the outbox: its id and the result to come. */
  public record Accepted(String messageId, CompletionStage<SendResult> result) {}

  /**
   * One message of a batch: accepted, with the result to come, or refused, with the reason and a
   * result already {@link SendResult.Outcome#REFUSED}.
   *
   * @param messageId null for a candidate that was not a valid message
   */
  public record BatchEntry(
      String messageId, Optional<String> refusal, CompletionStage<SendResult> result) {

    static BatchEntry refused(String messageId, String reason) {
      return new BatchEntry(
          messageId,
          Optional.of(reason),
          CompletableFuture.completedStage(SendResult.refused(messageId, reason)));
    }
  }

  /**
   * Queues the message now, or once the caller's transaction commits (memory holds it meanwhile,
   * {@link DownstreamQueue#committing}); a rollback took the outbox row with it, so the send fails
   * without anything having gone out, and so does a send in a transaction already marked for
   * rollback.
   */
  private void queueOnceCommitted(Outbound outbound, boolean resultAwaited) {
    int status = transactions.getTransactionStatus();
    if (status != Status.STATUS_ACTIVE && status != Status.STATUS_NO_TRANSACTION) {
      queue.abandoned(outbound);
      outbound
          .result()
          .complete(
              SendResult.failed(
                  outbound.messageId(), "the sending transaction is ending without a commit"));
      return;
    }
    if (status == Status.STATUS_NO_TRANSACTION) {
      counters.count(Total.DOWNSTREAM_ACCEPTED, outbound.senderId());
      queue.accepted(outbound, resultAwaited);
      return;
    }
    TransactionEnd.register(
        transactions,
        () -> {
          counters.count(Total.DOWNSTREAM_ACCEPTED, outbound.senderId());
          queue.accepted(outbound, resultAwaited);
        },
        () -> {
          queue.abandoned(outbound);
          outbound
              .result()
              .complete(
                  SendResult.failed(outbound.messageId(), "the sending transaction rolled back"));
        });
  }

  /**
   * When the message's {@code time_to_live} (four weeks by default, §4.4) runs out, counted from
   * now. A time_to_live of 0 means "now or never": it may still go out within {@link
   * #NOW_OR_NEVER}, the time it takes to reach a connection with room.
   */
  private static Instant expiryOf(Downstream message) {
    int seconds = message.timeToLive().orElse(Downstream.MAX_TIME_TO_LIVE);
    return Instant.now().plus(seconds == 0 ? NOW_OR_NEVER : Duration.ofSeconds(seconds));
  }

  private static String newMessageId() {
    return "m-" + UUID.randomUUID();
  }
}
