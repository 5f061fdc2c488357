package io.uplink.emulator;

import java.util.HashSet;
import java.util.Set;

/**
 * The upstream messages (and delivery receipts) delivered on one connection that are not acked yet:
 * CCS "will stop sending if there are too many unacknowledged messages" (ccs-protocol.md §4.2). The
 * {@link UpstreamLedger} sends nothing to a connection whose window is full. It counts messages,
 * not deliveries: a message redelivered on the same connection takes one place, and it leaves every
 * window once any of its deliveries is acked, so a client that acks a message once never leaks a
 * place. The window empties when the connection ends (its deliveries can never be acked then,
 * §4.3).
 *
 * <p>The threshold is not published (§4.2, §7 question 5). The emulator uses a limit per
 * connection, 100 by default, the same number as the documented downstream window (§4.1).
 *
 * <p>Thread-safe: the ledger changes it under its sender's lock; tests read the counts from any
 * thread.
 */
final class UpstreamWindow {

  private final int limit;
  private final Set<UpstreamLedger.MessageKey> unacked = new HashSet<>();
  private int maxUnacked;

  UpstreamWindow(int limit) {
    this.limit = limit;
  }

  /** Whether a message not yet in the window may be delivered without going over the limit. */
  synchronized boolean hasRoom() {
    return unacked.size() < limit;
  }

  /**
   * Counts a delivery of {@code key}. The ledger checks {@link #hasRoom()} first, except for a
   * redelivery a test forces with {@link CcsEmulator#redeliver}, which may go over the limit.
   */
  synchronized void delivered(UpstreamLedger.MessageKey key) {
    unacked.add(key);
    maxUnacked = Math.max(maxUnacked, unacked.size());
  }

  /** The message is acked (on whichever connection): it no longer holds a place here. */
  synchronized void settled(UpstreamLedger.MessageKey key) {
    unacked.remove(key);
  }

  /** The connection ended: none of its deliveries can be acked any more. */
  synchronized void clear() {
    unacked.clear();
  }

  int limit() {
    return limit;
  }

  synchronized int unacked() {
    return unacked.size();
  }

  synchronized int maxUnacked() {
    return maxUnacked;
  }
}
