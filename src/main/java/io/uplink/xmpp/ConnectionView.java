package io.uplink.xmpp;

import java.time.Instant;
import java.util.Optional;

/**
 * A read-only, live view of one connection slot, for monitoring. Every method reads current state
 * and is safe to call from any thread.
 */
public interface ConnectionView {

  /** The CCS sender ID this connection authenticates as. */
  String senderId();

  /** The slot's number within its sender, stable across reconnects. */
  int index();

  ConnectionState state();

  /** When the current stream authenticated, while connected. */
  Optional<Instant> connectedSince();

  /** Older streams of this slot that CCS is draining and that are still read and acked. */
  int drainingConnections();

  /** Downstream messages sent on the current stream that CCS has not answered yet. */
  int pendingDownstream();

  /** Consecutive failed attempts before authentication (the backoff step). */
  int failedAttempts();

  /** When a stanza last went in or out on any stream of this slot. */
  Optional<Instant> lastActivity();

  /** Upstream messages read on this slot's streams, rejected ones included. */
  long upstreamReceived();

  /** Downstream stanzas written on this slot's streams, resends included. */
  long downstreamSent();
}
