package io.uplink.upstream;

import java.util.Map;

/**
 * What one delivery attempt recorded, kept by the lane that made it: when the attempt fails after
 * its work was done, it failed while committing (a flush of the observers' work, a {@code
 * BEFORE_COMPLETION} observer, or the commit itself), and the commit may have happened even though
 * its answer was lost (the database connection broke while committing). The record ids it wrote
 * tell, once the message comes back, whether it was this attempt that committed ({@link
 * InDoubtCommits}). Not thread-safe; one lane thread makes the attempt and reads it.
 */
final class DeliveryAttempt {

  private Map<UpstreamKey, Object> recorded = Map.of();
  private boolean workDone;

  /** The attempt wrote these de-duplication records, each key with its record's id. */
  void recorded(Map<UpstreamKey, Object> records) {
    recorded = Map.copyOf(records);
  }

  /** Records written and observers run: what is left is the commit. */
  void workDone() {
    workDone = true;
  }

  /**
   * The records of an attempt that failed after its work was done: its commit may have happened.
   * Empty if the attempt failed before (nothing of it can have committed).
   */
  Map<UpstreamKey, Object> inDoubtAfterFailure() {
    return workDone ? recorded : Map.of();
  }
}
