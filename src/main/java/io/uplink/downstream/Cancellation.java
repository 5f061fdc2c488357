package io.uplink.downstream;

import java.util.Optional;

/**
 * What became of an operator's request to cancel a downstream message. Immutable.
 *
 * @param outcome whether it was cancelled, and how surely
 * @param entry the message as the outbox holds it afterwards, unless there is none
 */
public record Cancellation(Outcome outcome, Optional<OutboxEntry> entry) {

  /** Whether the message was cancelled, and why not. */
  public enum Outcome {
    /** It was waiting in this instance's queue: it is cancelled and will not be written. */
    CANCELLED,
    /**
     * It is recorded as cancelled, but it was not waiting in this instance's queue: it may be on
     * its way to CCS already, and if CCS acks it, it ends acked.
     */
    CANCELLED_LATE,
    /** The sender has no message with this id. */
    NOT_FOUND,
    /** It has ended already (acked, nacked, failed, expired or cancelled). */
    NOT_PENDING,
    /** Another live instance is sending it: only that instance can keep it from being written. */
    OWNED_ELSEWHERE
  }
}
