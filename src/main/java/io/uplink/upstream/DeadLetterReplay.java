package io.uplink.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Replays one dead letter for an operator and tells how it went; a replay that fails again is
 * counted on the dead letter, which stays. Thread-safe.
 */
@ApplicationScoped
public class DeadLetterReplay {

  @Inject DeadLetters deadLetters;

  public ReplayResult replay(long id) {
    try {
      return deadLetters
          .replay(id)
          .map(
              outcome ->
                  new ReplayResult(
                      id, outcome == DeliveryOutcome.DELIVERED ? "delivered" : "duplicate", null))
          .orElseGet(() -> new ReplayResult(id, "not found", null));
    } catch (RuntimeException e) {
      String error = String.valueOf(FailureLedger.rootOf(e));
      deadLetters.replayFailed(id, error);
      return new ReplayResult(id, "failed", error);
    }
  }

  /**
   * How a replay went.
   *
   * @param outcome {@code delivered}, {@code duplicate}, {@code failed} or {@code not found}
   * @param error why the observers failed again, when they did
   */
  public record ReplayResult(long id, String outcome, String error) {}
}
