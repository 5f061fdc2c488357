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
      return failed(id, e);
    }
  }

  /**
   * Counts the failure on the dead letter. When it is gone, a concurrent replay delivered it; when
   * even counting fails, the answer still says the replay failed.
   */
  private ReplayResult failed(long id, RuntimeException failure) {
    try {
      return deadLetters
          .replayFailed(id, failure)
          .map(error -> new ReplayResult(id, "failed", error))
          .orElseGet(() -> new ReplayResult(id, "replayed concurrently", null));
    } catch (RuntimeException countingFailed) {
      return new ReplayResult(id, "failed", "the replay failed and could not be counted");
    }
  }

  /**
   * How a replay went.
   *
   * @param outcome {@code delivered}, {@code duplicate}, {@code failed}, {@code not found}, or
   *     {@code replayed concurrently} (another replay of it won)
   * @param error why the observers failed again, when they did
   */
  public record ReplayResult(long id, String outcome, String error) {}
}
