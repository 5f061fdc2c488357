package io.uplink.emulator;

/**
 * The answer CCS gives to a downstream message: an ACK or a NACK with an error code from
 * ccs-protocol.md §3.4. Immutable.
 */
public sealed interface DownstreamReply {

  /** Accept the message. */
  static DownstreamReply ack() {
    return Ack.INSTANCE;
  }

  /** Reject the message with an error code such as {@code SERVICE_UNAVAILABLE}. */
  static DownstreamReply nack(String error, String description) {
    return new Nack(error, description);
  }

  /** The message was accepted. */
  enum Ack implements DownstreamReply {
    INSTANCE
  }

  /** The message was rejected; {@code error} is the §3.4 code. */
  record Nack(String error, String description) implements DownstreamReply {}
}
