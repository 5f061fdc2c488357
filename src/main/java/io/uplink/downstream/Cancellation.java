package io.uplink.downstream;

import java.util.Optional;

/**
 * What became of an operator's request to cancel a downstream message. Immutable.
 *
 * @param entry the message as the outbox holds it afterwards, unless there is none
 */
public record Cancellation(Outcome outcome, Optional<OutboxEntry> entry) {

  /** Whether the message was cancelled, and why not. */
  public enum Outcome {
    /** It was pending and is now cancelled. */
    CANCELLED,
    /** The sender has no message with this id. */
    NOT_FOUND,
    /** It has ended already (acked, nacked, failed, expired or cancelled). */
    NOT_PENDING,
    /** Another live instance is sending it: only that instance can keep it from being written. */
    OWNED_ELSEWHERE
  }
}
