package io.uplink.downstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Cancels a pending downstream message for an operator: in the outbox, so that no instance sends it
 * after a restart or a takeover, and in this instance's queue, so that it is not written now. A
 * message already written and awaiting CCS's answer cannot be called back. Thread-safe.
 */
@ApplicationScoped
public class DownstreamCancel {

  @Inject Outbox outbox;
  @Inject DownstreamQueue queue;
  @Inject DownstreamOutcomes outcomes;

  /** Cancels the sender's message if it is pending and no other live instance is sending it. */
  public Cancellation cancel(String senderId, String messageId) {
    Cancellation cancellation = outbox.cancel(senderId, messageId);
    if (cancellation.outcome() == Cancellation.Outcome.CANCELLED) {
      queue.withdraw(senderId, messageId).ifPresent(outcomes::cancelled);
    }
    return cancellation;
  }
}
