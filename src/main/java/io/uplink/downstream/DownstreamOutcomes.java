package io.uplink.downstream;

import io.uplink.api.CanonicalTokenReceived;
import io.uplink.api.SendResult;
import io.uplink.api.TokenInvalidated;
import io.uplink.ccs.Inbound;
import io.uplink.config.DownstreamSettings;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.RecentMessage;
import io.uplink.stats.RecentMessages;
import io.uplink.stats.Total;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Decides what each answer from CCS or FCM's HTTP v1 API means for a downstream message: an ack
 * completes the send, a refusal fails it, retries it with backoff, slows it down or resends it at
 * once (ccs-protocol.md §3.4), an answer about the whole sender pauses the sender ({@link
 * SenderPause}) and keeps the message, and a message whose connection closed unanswered is sent
 * again (§4.3). The transports call in from their reader threads; {@link OutcomeRecorder} records
 * each end in the outbox on a thread of its own, then completes the send's result (so application
 * callbacks never run on a reader thread, and see the outbox settled) and fires the CDI events.
 * Thread-safe.
 */
@ApplicationScoped
public class DownstreamOutcomes {

  private static final Logger LOG = Logger.getLogger(DownstreamOutcomes.class.getName());
  private static final int SLOW_DOWN_FACTOR = 10;

  @Inject DownstreamQueue queue;
  @Inject GatewayCounters counters;
  @Inject DownstreamSettings settings;
  @Inject RecentMessages recent;
  @Inject SenderPauses pauses;
  @Inject OutcomeRecorder recorder;

  private final TargetHoldBacks holdBacks = new TargetHoldBacks();

  /** CCS accepted the message. */
  public void acked(Outbound message, Inbound.Ack ack) {
    Optional<TokenEventRecord> canonical =
        ack.canonicalRegistrationId()
            .filter(token -> !token.equals(ack.from()))
            .map(
                token ->
                    TokenEventRecord.canonical(
                        new CanonicalTokenReceived(message.senderId(), ack.from(), token),
                        message.messageId()));
    accepted(message, Optional.empty(), canonical);
  }

  /** FCM's HTTP v1 API accepted the message and named it {@code fcmName}. */
  public void accepted(Outbound message, String fcmName) {
    accepted(message, Optional.of(fcmName), Optional.empty());
  }

  private void accepted(
      Outbound message, Optional<String> fcmName, Optional<TokenEventRecord> canonical) {
    counters.count(Total.DOWNSTREAM_ACKED, message.senderId());
    pauses.of(message.senderId()).served();
    remember(message, "ACKED");
    recorder.record(
        new MessageEnd(
            message,
            OutboxStatus.ACKED,
            null,
            fcmName,
            canonical,
            SendResult.acked(message.messageId())));
  }

  /** CCS refused the message; what happens next depends on the code (§3.4). */
  public void nacked(Outbound message, Inbound.Nack nack) {
    refused(
        message,
        new Refusal(
            nack.error(), nack.error(), nack.from(), NackAction.of(nack.error()), Duration.ZERO));
  }

  /**
   * CCS or FCM refused the message; the refusal says what happens next. A refusal about the whole
   * sender pauses it, unless other messages of the sender are being served meanwhile: then it is
   * about this message, and retried with backoff like an unknown code. Any other refusal shows that
   * the sender is served, ending a pause.
   */
  public void refused(Outbound message, Refusal refusal) {
    counters.count(Total.DOWNSTREAM_NACKED, message.senderId(), refusal.codeLabel());
    SenderPause pause = pauses.of(message.senderId());
    NackAction action = refusal.action();
    if (action != NackAction.PAUSE_SENDER) {
      pause.served();
    } else if (pause.servedRecently()) {
      action = NackAction.RETRY_WITH_BACKOFF;
    }
    switch (action) {
      case PAUSE_SENDER -> pauseSender(message, refusal.error(), refusal.notBefore());
      case RESEND_NOW -> resend(message, Duration.ZERO);
      case RETRY_WITH_BACKOFF -> retryOrFail(message, refusal, 1);
      case SLOW_DOWN -> slowDown(message, refusal);
      case INVALIDATE_TOKEN ->
          fail(
              message,
              refusal.error(),
              OutboxStatus.NACKED,
              Optional.of(
                  TokenEventRecord.invalidated(
                      new TokenInvalidated(
                          message.senderId(),
                          refusal.token(),
                          refusal.code(),
                          message.messageId()))));
      case FAIL -> fail(message, refusal.error(), OutboxStatus.NACKED);
    }
  }

  /** Whether the sender may send now, or waits out a sender-wide failure. */
  public SenderPause pauseOf(String senderId) {
    return pauses.of(senderId);
  }

  /**
   * The sender got no answer at all for the message (the connection refused or lost, a timeout, no
   * access token): it pauses, and the message waits without spending a retry. While other messages
   * of the sender are being served, the message alone is sent again after a short wait.
   */
  public void noAnswer(Outbound message, String why) {
    if (pauses.of(message.senderId()).servedRecently()) {
      resend(message, RetryBackoff.after(settings, 0, 1));
    } else {
      pauseSender(message, why, Duration.ZERO);
    }
  }

  /**
   * The message cannot be sent as it was accepted (the sender's transport changed since): it fails
   * without having reached CCS or FCM, which says nothing about the sender.
   */
  public void unsendable(Outbound message, String reason) {
    fail(message, reason, OutboxStatus.FAILED);
  }

  private void pauseSender(Outbound message, String why, Duration retryAfter) {
    if (pauses.of(message.senderId()).pause(why, retryAfter)) {
      counters.count(Total.DOWNSTREAM_SENDER_PAUSES, message.senderId());
    }
    resend(message, Duration.ZERO);
  }

  /**
   * How long a message must wait before it may be sent, because its target was rate limited (§3.4:
   * "should not immediately retry sending to this device"); zero when it may go now.
   */
  public Duration holdBack(Outbound message) {
    return holdBacks.left(message.targetKey());
  }

  /**
   * The connection closed before CCS answered these (§4.3): send them again at once; a probe among
   * them is lost, so another may go.
   */
  public void unanswered(Collection<Outbound> messages) {
    messages.forEach(
        message -> {
          pauses.of(message.senderId()).probeLost();
          resend(message, Duration.ZERO);
        });
  }

  /**
   * CCS answered with a stanza error (§3.5): counted, and the send fails when the error named one.
   */
  public void stanzaError(String senderId, Optional<Outbound> message, String description) {
    counters.count(Total.DOWNSTREAM_STANZA_ERRORS, senderId);
    message.ifPresent(
        m -> {
          pauses.of(senderId).served();
          fail(m, "STANZA_ERROR " + description, OutboxStatus.NACKED);
        });
  }

  /**
   * No connection had room for the message within the send timeout: the caller stops waiting, with
   * {@link SendResult.Outcome#TIMED_OUT}, but the message stays pending and is still sent. The
   * caller's stage completes on a thread of its own, so its callbacks never hold up the dispatcher.
   */
  public void timedOut(Outbound message) {
    timedOut(message.senderId(), message.messageId(), message.result());
  }

  /** The same for a caller whose message waits in the outbox beyond memory's window. */
  public void timedOut(String senderId, String messageId, CompletableFuture<SendResult> result) {
    recorder.complete(
        () -> {
          if (result.complete(SendResult.timedOut(messageId))) {
            counters.count(Total.DOWNSTREAM_SEND_TIMEOUTS, senderId);
          }
        });
  }

  /**
   * The message's {@code time_to_live} ran out before CCS or FCM acked it: it ends {@link
   * OutboxStatus#EXPIRED}, counted, and is not sent again.
   */
  public void expired(Outbound message) {
    counters.count(Total.DOWNSTREAM_EXPIRED, message.senderId());
    remember(message, OutboxStatus.EXPIRED.name());
    LOG.warning(message + " expired unsent: its time_to_live ran out at " + message.expiresAt());
    recorder.record(
        new MessageEnd(
            message,
            OutboxStatus.EXPIRED,
            SendResult.EXPIRED_ERROR,
            Optional.empty(),
            Optional.empty(),
            SendResult.expired(message.messageId())));
  }

  /**
   * An operator cancelled the message before it was written; the outbox says so, or is about to
   * ({@link DownstreamCancel} lets memory go once it does).
   */
  public void cancelled(Outbound message) {
    counters.count(Total.DOWNSTREAM_CANCELLED, message.senderId());
    remember(message, OutboxStatus.CANCELLED.name());
    LOG.info(message + " cancelled by an operator before it was sent");
    recorder.complete(() -> message.result().complete(SendResult.cancelled(message.messageId())));
  }

  /**
   * Holds back every message to the target, this one included, for a lengthened backoff, or for as
   * long as the refusal asked if that is longer.
   */
  private void slowDown(Outbound message, Refusal refusal) {
    Duration delay =
        longer(RetryBackoff.after(settings, message.attempt(), SLOW_DOWN_FACTOR), refusal);
    holdBacks.holdFor(message.targetKey(), delay);
    retryOrFail(message, refusal, SLOW_DOWN_FACTOR);
  }

  private void retryOrFail(Outbound message, Refusal refusal, int factor) {
    if (message.attempt() >= settings.maxRetries()) {
      LOG.warning(message + " failed after " + message.attempt() + " retries: " + refusal.error());
      fail(message, refusal.error(), OutboxStatus.NACKED);
      return;
    }
    Duration delay = longer(RetryBackoff.after(settings, message.attempt(), factor), refusal);
    LOG.info(
        message + " refused with " + refusal.code() + "; retrying in " + delay.toMillis() + " ms");
    counters.count(Total.DOWNSTREAM_RETRIED, message.senderId());
    resend(message.retry(), delay);
  }

  private Duration longer(Duration backoff, Refusal refusal) {
    Duration asked = RetryBackoff.honoured(settings, refusal.notBefore());
    return backoff.compareTo(asked) >= 0 ? backoff : asked;
  }

  /**
   * Queues a message to be written again after the delay (a retry, a connection that closed
   * unanswered, an instance that died), unless an operator cancelled it or its {@code time_to_live}
   * has run out.
   */
  public void resend(Outbound message, Duration delay) {
    if (queue.cancelled(message)) {
      cancelled(message);
    } else if (message.expired(Instant.now().plus(delay))) {
      expired(message);
    } else {
      queue.offer(message, delay);
    }
  }

  private void fail(Outbound message, String error, OutboxStatus status) {
    fail(message, error, status, Optional.empty());
  }

  /** Ends the send without an ack; the token event, if any, is recorded with that end. */
  private void fail(
      Outbound message, String error, OutboxStatus status, Optional<TokenEventRecord> event) {
    counters.count(Total.DOWNSTREAM_FAILED, message.senderId());
    remember(message, status.name());
    LOG.fine(() -> message + " ended " + status + " " + error);
    SendResult result =
        status == OutboxStatus.FAILED
            ? SendResult.failed(message.messageId(), error)
            : SendResult.nacked(message.messageId(), error);
    recorder.record(new MessageEnd(message, status, error, Optional.empty(), event, result));
  }

  /**
   * Waits until every answer CCS or FCM gave so far is recorded in the outbox, or until {@code
   * deadlineNanos} ({@link System#nanoTime()}): part of a graceful stop, so that a message they
   * acked is not sent again after a restart.
   *
   * @return whether everything was recorded
   */
  public boolean awaitSettled(long deadlineNanos) throws InterruptedException {
    return recorder.awaitRecorded(deadlineNanos);
  }

  private void remember(Outbound message, String outcome) {
    recent.add(
        new RecentMessage(
            Instant.now(),
            "downstream",
            message.senderId(),
            message.target(),
            null,
            message.messageId(),
            outcome));
  }
}
