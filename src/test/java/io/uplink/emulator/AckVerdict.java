package io.uplink.emulator;

/**
 * How the emulator judged an upstream {@code ack} (ccs-protocol.md §3.7, §4.3: acks are
 * connection-scoped and must name the device in {@code to} and the upstream {@code message_id}).
 */
public enum AckVerdict {
  /** Acknowledges a delivery that is awaiting an ack on this connection. */
  VALID,
  /** The message is awaiting an ack, but on another connection than the one the ack came on. */
  WRONG_CONNECTION,
  /** A delivery with this {@code message_id} awaits an ack here, but from another device. */
  WRONG_TO,
  /** The message is known, but every delivery of it has already been acknowledged or voided. */
  NOT_AWAITING_ACK,
  /** No upstream message with this device and {@code message_id} was ever injected. */
  UNKNOWN_MESSAGE_ID,
  /** {@code to} or {@code message_id} is missing. */
  MISSING_FIELD,
  /** {@code to} or {@code message_id} is present but not a JSON string. */
  BAD_JSON
}
