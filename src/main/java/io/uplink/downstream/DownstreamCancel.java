package io.uplink.downstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Cancels a pending downstream message for an operator: in the outbox, so that no instance sends it
 * after a restart or a takeover, and in this instance's queue, so that it is not written now. A
 * message not waiting in the queue may be on its way already (being written, awaiting CCS's answer,
 * or written by an instance that died) and cannot be called back. Thread-safe.
 */
@ApplicationScoped
public class DownstreamCancel {

  @Inject Outbox outbox;
  @Inject DownstreamQueue queue;
  @Inject DownstreamOutcomes outcomes;

  /**
   * Cancels the sender's message if it is pending and no other live instance is sending it. It is
   * taken out of the queue (or marked, if it is not there) before the outbox records the cancel, so
   * that the dispatcher cannot write it in between; if the outbox refuses, that is undone. Memory
   * lets it go only once the outbox says CANCELLED, so that no page brings its row back first.
   */
  public Cancellation cancel(String senderId, String messageId) {
    Optional<Outbound> withdrawn = queue.withdraw(senderId, messageId);
    Cancellation cancellation;
    try {
      cancellation = outbox.cancel(senderId, messageId);
    } catch (RuntimeException e) {
      queue.undoWithdraw(senderId, messageId, withdrawn);
      throw e;
    }
    if (cancellation.outcome() != Cancellation.Outcome.CANCELLED) {
      queue.undoWithdraw(senderId, messageId, withdrawn);
      return cancellation;
    }
    queue.ended(senderId, messageId);
    if (withdrawn.isEmpty()) {
      return new Cancellation(Cancellation.Outcome.CANCELLED_LATE, cancellation.entry());
    }
    outcomes.cancelled(withdrawn.get());
    return cancellation;
  }
}
