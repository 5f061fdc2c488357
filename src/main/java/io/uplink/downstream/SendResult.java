package io.uplink.downstream;

import java.util.Optional;

/**
 * How a downstream send ended. A send completes once: when CCS acked it, or when it failed for good
 * (a nack that must not be retried, retries used up, or no room to send it in time). Immutable.
 *
 * @param error the CCS error code or Uplink's reason, when it failed
 */
public record SendResult(String messageId, Outcome outcome, Optional<String> error) {

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
    /** It could not be sent (no connection with room in its window before the timeout). */
    FAILED
  }

  static SendResult acked(String messageId) {
    return new SendResult(messageId, Outcome.ACKED, Optional.empty());
  }

  static SendResult nacked(String messageId, String error) {
    return new SendResult(messageId, Outcome.NACKED, Optional.of(error));
  }

  static SendResult failed(String messageId, String reason) {
    return new SendResult(messageId, Outcome.FAILED, Optional.of(reason));
  }
}
