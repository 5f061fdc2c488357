package io.uplink.api;

import java.time.Duration;

/**
 * A send refused because its sender already has as many messages pending as {@code
 * uplink.downstream.max-pending} allows, so that a busy producer during an outage meets a clear
 * refusal instead of a gateway that runs out of memory. Nothing already accepted is affected: the
 * pending messages are still sent. Slow the producer down and try again after {@link
 * #retryAfter()}. Immutable.
 */
public final class BacklogFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String senderId;
  private final long pending;
  private final long limit;
  private final Duration retryAfter;

  public BacklogFullException(String senderId, long pending, long limit, Duration retryAfter) {
    super(
        "sender "
            + senderId
            + " has "
            + pending
            + " downstream message(s) pending, at its limit uplink.downstream.max-pending = "
            + limit
            + "; try again in "
            + Math.max(1, retryAfter.toSeconds())
            + " s");
    this.senderId = senderId;
    this.pending = pending;
    this.limit = limit;
    this.retryAfter = retryAfter;
  }

  public String senderId() {
    return senderId;
  }

  /** The sender's pending messages when the send was refused. */
  public long pending() {
    return pending;
  }

  /** {@code uplink.downstream.max-pending}. */
  public long limit() {
    return limit;
  }

  /** When a new try has a chance: at the end of the sender's pause, or a second from now. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
