package io.uplink.emulator;

/**
 * The upstream deliveries (messages and delivery receipts) of one connection that still owe an ack:
 * CCS "will stop sending if there are too many unacknowledged messages" (ccs-protocol.md §4.2). The
 * {@link UpstreamLedger} sends nothing to a connection whose window is full; a delivery leaves the
 * window when it is acked on this connection, and the whole window empties when the connection ends
 * (its deliveries can never be acked then, §4.3).
 *
 * <p>The threshold is not published (§4.2, §7 question 5). The emulator uses a limit per
 * connection, 100 by default, the same number as the documented downstream window (§4.1).
 *
 * <p>Thread-safe: the ledger changes it under its sender's lock; tests read the counts from any
 * thread.
 */
final class UpstreamWindow {

  private final int limit;
  private int unacked;
  private int maxUnacked;

  UpstreamWindow(int limit) {
    this.limit = limit;
  }

  /** Whether one more delivery may go out without reaching more than the limit. */
  synchronized boolean hasRoom() {
    return unacked < limit;
  }

  /**
   * Counts a delivery. The ledger checks {@link #hasRoom()} first, except for a redelivery a test
   * forces with {@link CcsEmulator#redeliver}, which may go over the limit.
   */
  synchronized void delivered() {
    unacked++;
    maxUnacked = Math.max(maxUnacked, unacked);
  }

  /** Counts a valid ack of one delivery on this connection. */
  synchronized void acked() {
    if (unacked > 0) {
      unacked--;
    }
  }

  /** The connection ended: none of its deliveries can be acked any more. */
  synchronized void clear() {
    unacked = 0;
  }

  int limit() {
    return limit;
  }

  synchronized int unacked() {
    return unacked;
  }

  synchronized int maxUnacked() {
    return maxUnacked;
  }
}
