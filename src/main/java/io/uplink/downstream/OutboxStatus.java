package io.uplink.downstream;

/** Where a downstream message stands in the outbox. */
public enum OutboxStatus {
  /** Accepted and not yet answered by CCS: sent again after a restart. */
  PENDING,
  /** CCS acked it. */
  ACKED,
  /** CCS nacked it for good. */
  NACKED,
  /** It could not be sent. */
  FAILED,
  /** Its {@code time_to_live} ran out before it could be written to CCS; it never was. */
  EXPIRED
}
