package io.uplink.downstream;

import io.uplink.api.Downstream;
import io.uplink.api.DownstreamSender;
import io.uplink.api.SendResult;
import io.uplink.ccs.CcsCodec;
import io.uplink.cluster.SenderAssignment;
import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import io.uplink.fcm.HttpV1Message;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Total;
import io.uplink.transactions.TransactionEnd;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * The gateway's {@link DownstreamSender}: writes each message to the outbox, in the form its
 * sender's transport sends (CCS's JSON, or an HTTP v1 request), and queues it for that transport
 * once the caller's transaction commits; sends again what instances no longer running left
 * unanswered. Thread-safe.
 */
@ApplicationScoped
public class OutboxSender implements DownstreamSender {

  private static final Logger LOG = Logger.getLogger(OutboxSender.class.getName());
  private static final Duration NOW_OR_NEVER = Duration.ofSeconds(1);

  @Inject CcsSettings ccs;
  @Inject CcsCodec codec;
  @Inject Outbox outbox;
  @Inject DownstreamQueue queue;
  @Inject GatewayCounters counters;
  @Inject DownstreamOutcomes outcomes;

  @Resource TransactionSynchronizationRegistry transactions;

  @Override
  public CompletionStage<SendResult> send(Downstream message) {
    return send(defaultSenderId(), message);
  }

  @Override
  public CompletionStage<SendResult> send(String senderId, Downstream message) {
    return accept(senderId, message).result();
  }

  /**
   * Accepts a message for sending and tells its id at once, for callers that answer before CCS does
   * (the admin API).
   */
  public Accepted accept(String senderId, Downstream message) {
    SenderSettings sender =
        ccs.senders().stream()
            .filter(s -> s.senderId().equals(senderId))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("sender ID " + senderId + " is not configured"));
    Downstream identified =
        message.messageId().isPresent() ? message : message.withMessageId(newMessageId());
    String messageId = identified.messageId().orElseThrow();
    Instant expiresAt = expiryOf(identified);
    String json =
        sender.sendsOverHttpV1()
            ? HttpV1Message.request(identified, expiresAt)
            : codec.downstream(identified);
    Outbound outbound =
        Outbound.accepted(
            senderId, messageId, identified.targetKey(), identified.target(), json, expiresAt);
    outbox.accept(outbound);
    queueOnceCommitted(outbound);
    return new Accepted(messageId, outbound.result().minimalCompletionStage());
  }

  /** The first configured sender ID, used when a caller names none. */
  public String defaultSenderId() {
    return ccs.senders().get(0).senderId();
  }

  /** A message accepted into the outbox: its id and the result to come. */
  public record Accepted(String messageId, CompletionStage<SendResult> result) {}

  /**
   * Sends again what instances no longer alive left unanswered in the outbox (a previous run of
   * this one, or a dead member of the cluster), once this instance has connections for the sender.
   */
  void resendOrphans(@Observes SenderAssignment assignment) {
    if (!assignment.connections().isEmpty()) {
      resendOrphans(assignment.senderId());
    }
  }

  /**
   * Sends again what instances no longer alive left unanswered for the sender; for a sender without
   * connections (send-only over HTTP v1), which no assignment announces.
   */
  public void resendOrphans(String senderId) {
    List<Outbound> orphans = outbox.adoptOrphans(senderId);
    if (orphans.isEmpty()) {
      return;
    }
    LOG.info(
        "Sending again "
            + orphans.size()
            + " downstream message(s) of sender "
            + senderId
            + " left unanswered by an instance no longer running");
    for (Outbound orphan : orphans) {
      counters.count(Total.DOWNSTREAM_ACCEPTED, orphan.senderId());
      outcomes.resend(orphan, Duration.ZERO);
    }
  }

  /**
   * Queues the message now, or once the caller's transaction commits; a rollback took the outbox
   * row with it, so the send fails without anything having gone out.
   */
  private void queueOnceCommitted(Outbound outbound) {
    if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
      counters.count(Total.DOWNSTREAM_ACCEPTED, outbound.senderId());
      queue.offer(outbound);
      return;
    }
    TransactionEnd.register(
        transactions,
        () -> {
          counters.count(Total.DOWNSTREAM_ACCEPTED, outbound.senderId());
          queue.offer(outbound);
        },
        () ->
            outbound
                .result()
                .complete(
                    SendResult.failed(
                        outbound.messageId(), "the sending transaction rolled back")));
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
