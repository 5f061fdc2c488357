package io.uplink.upstream;

/** What became of one upstream message; every outcome but {@link #RETRY} is acked. */
enum DeliveryOutcome {
  /** Observers ran and committed with the de-duplication record. */
  DELIVERED,
  /**
   * An earlier attempt counted as failed had committed, its commit's answer lost ({@link
   * InDoubtCommits}); the observers that run after a commit ran now.
   */
  DELIVERED_IN_DOUBT,
  /** A delivery of the same message had already committed; observers were not called. */
  DUPLICATE,
  /** Observers failed too often; the message was parked in the dead-letter table. */
  DEAD_LETTERED,
  /** Not delivered this time; left unacked so that CCS redelivers it. */
  RETRY
}
