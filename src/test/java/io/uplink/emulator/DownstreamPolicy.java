package io.uplink.emulator;

/**
 * Has the last say on a downstream message that passed every built-in rule (validation, draining,
 * injected faults, tokens, rates; see {@link DownstreamResponder}). The default acknowledges it;
 * tests that need an answer the built-in rules cannot give supply their own.
 *
 * <p>Called on the connection's reader thread, possibly for several connections at once:
 * implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface DownstreamPolicy {

  /** Acknowledges every message. */
  DownstreamPolicy ACK_ALL = message -> DownstreamReply.ack();

  DownstreamReply replyTo(Downstream message);
}
