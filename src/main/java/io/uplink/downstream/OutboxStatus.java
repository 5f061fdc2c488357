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
  /**
   * Its {@code time_to_live} ran out before CCS acked it, so it is not written again: never sent,
   * or written once on a connection that closed before CCS answered.
   */
  EXPIRED,
  /**
   * An operator cancelled it while it was pending: it is not written to CCS from then on (one
   * already written and awaiting CCS's answer cannot be called back; CCS's ack then makes it {@link
   * #ACKED}).
   */
  CANCELLED
}
