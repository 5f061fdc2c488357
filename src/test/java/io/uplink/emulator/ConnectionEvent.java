package io.uplink.emulator;

import java.time.Instant;

/**
 * A step in the life of one connection, for tests that assert on when a client connected,
 * authenticated, bound, was drained or went away. Immutable.
 *
 * @param senderId the authenticated sender, or {@code null} before authentication
 * @param detail a human-readable explanation (the bound JID, why the connection ended, ...)
 */
public record ConnectionEvent(
    String connectionId, String senderId, Kind kind, String detail, Instant at) {

  /** The steps, in the order a healthy connection goes through them. */
  public enum Kind {
    OPENED,
    AUTHENTICATED,
    BOUND,
    DRAINING,
    CLOSED
  }
}
