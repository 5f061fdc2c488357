package io.uplink.emulator;

/**
 * Decides how the emulator answers each well-formed downstream message. The default acknowledges
 * everything; tests that exercise NACK handling supply their own.
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
