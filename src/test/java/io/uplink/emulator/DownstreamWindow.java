package io.uplink.emulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The downstream messages of one connection that have no ACK or NACK yet (ccs-protocol.md §4.1:
 * "Messages that haven't received one of these responses are considered pending"). The emulator
 * admits a message here when it arrives and completes it when the answer is queued for writing, so
 * its count is never above what the client sees: a client that respects the window is never
 * punished. Closing the window abandons what is left (§4.3: those are never answered).
 *
 * <p>Thread-safe: the reader thread admits, the answering thread completes, closing may come from
 * any thread.
 */
final class DownstreamWindow {

  /** What happened to a message offered to the window. */
  enum Admission {
    ADMITTED,
    /** The limit was already reached: the client broke the flow-control contract. */
    FULL,
    /** The connection is closing: the message will never be answered. */
    CLOSED
  }

  private final int limit;
  private final Set<DownstreamResponder.Answer> open = new HashSet<>();
  private int maxPending;
  private boolean closed;

  DownstreamWindow(int limit) {
    this.limit = limit;
  }

  synchronized Admission admit(DownstreamResponder.Answer answer) {
    if (closed) {
      return Admission.CLOSED;
    }
    if (open.size() >= limit) {
      maxPending = Math.max(maxPending, open.size() + 1);
      return Admission.FULL;
    }
    open.add(answer);
    maxPending = Math.max(maxPending, open.size());
    return Admission.ADMITTED;
  }

  /** Removes the answer; false if it was abandoned when the window closed. */
  synchronized boolean complete(DownstreamResponder.Answer answer) {
    return open.remove(answer);
  }

  /** Closes the window for good and returns the answers it abandons. */
  synchronized List<DownstreamResponder.Answer> close() {
    closed = true;
    List<DownstreamResponder.Answer> abandoned = new ArrayList<>(open);
    open.clear();
    return abandoned;
  }

  int limit() {
    return limit;
  }

  synchronized int pending() {
    return open.size();
  }

  /**
   * The most messages the client ever had pending here, counting one it sent into a full window.
   */
  synchronized int maxPending() {
    return maxPending;
  }
}
