package io.uplink.api;

import java.util.Optional;

/**
 * How a downstream send ended, or that the caller stopped waiting. A send completes once: when CCS
 * acked it, when it failed for good (a nack that must not be retried, retries used up), when its
 * {@code time_to_live} ran out unsent, when an operator cancelled it unsent, at once when a batch
 * send refused it at acceptance, or, at the latest, after {@code uplink.downstream.send-timeout}
 * without room on any connection ({@link Outcome#TIMED_OUT}): the message itself then stays pending
 * in the outbox and is still sent. The factories let an application's own tests stand in for the
 * gateway. Immutable.
 *
 * @param error the CCS error code or Uplink's reason, when it failed
 */
public record SendResult(String messageId, Outcome outcome, Optional<String> error) {

  /** The reason a cancelled message carries, in its result and in the outbox. */
  public static final String CANCELLED_ERROR = "CANCELLED_BY_OPERATOR";

  /** The reason an expired message carries, in its result and in the outbox. */
  public static final String EXPIRED_ERROR = "TIME_TO_LIVE_EXPIRED";

  /** Whether CCS accepted the message. */
  public boolean accepted() {
    return outcome == Outcome.ACKED;
  }

  /** The end of a send. */
  public enum Outcome {
    /** CCS accepted the message for delivery. */
    ACKED,
    /** CCS refused it with a code that must not be retried (§3.4), or retries ran out. */
    NACKED,
    /** It could not be sent. */
    FAILED,
    /**
     * No connection had room for it within the send timeout (CCS down, a long outage). Only the
     * wait ended: the message stays pending in the outbox and is sent once a connection has room,
     * unless its {@code time_to_live} runs out first.
     */
    TIMED_OUT,
    /** Its {@code time_to_live} ran out before it could be written to CCS; it was never sent. */
    EXPIRED,
    /** An operator cancelled it before it was written to CCS; it was never sent. */
    CANCELLED,
    /**
     * A batch send refused it at acceptance (a field its transport cannot carry, a {@code
     * message_id} already used): it is not in the outbox and is never sent.
     */
    REFUSED
  }

  /** CCS accepted the message. */
  public static SendResult acked(String messageId) {
    return new SendResult(messageId, Outcome.ACKED, Optional.empty());
  }

  /** CCS refused the message for good with the given error code. */
  public static SendResult nacked(String messageId, String error) {
    return new SendResult(messageId, Outcome.NACKED, Optional.of(error));
  }

  /** The message could not be sent, for the given reason. */
  public static SendResult failed(String messageId, String reason) {
    return new SendResult(messageId, Outcome.FAILED, Optional.of(reason));
  }

  /** The caller's wait ended; the message stays pending. */
  public static SendResult timedOut(String messageId) {
    return new SendResult(messageId, Outcome.TIMED_OUT, Optional.of("SEND_TIMEOUT"));
  }

  /** The message's {@code time_to_live} ran out before it could be sent. */
  public static SendResult expired(String messageId) {
    return new SendResult(messageId, Outcome.EXPIRED, Optional.of(EXPIRED_ERROR));
  }

  /** A batch send refused the message at acceptance, for the given reason. */
  public static SendResult refused(String messageId, String reason) {
    return new SendResult(messageId, Outcome.REFUSED, Optional.of(reason));
  }

  /** An operator cancelled the message before it was written to CCS. */
  public static SendResult cancelled(String messageId) {
    return new SendResult(messageId, Outcome.CANCELLED, Optional.of(CANCELLED_ERROR));
  }
}
