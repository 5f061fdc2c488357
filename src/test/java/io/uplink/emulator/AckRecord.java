package io.uplink.emulator;

import java.time.Instant;

/**
 * An {@code ack} the client sent for an upstream message, valid or not (ccs-protocol.md §3.7).
 * Immutable.
 *
 * @param to the ack's {@code to} field, or {@code null} when it was missing or not a string
 * @param messageId the ack's {@code message_id}, or {@code null} when missing or not a string
 * @param detail why the ack is invalid, empty when it is valid
 * @param json the JSON text as received
 */
public record AckRecord(
    String connectionId,
    String senderId,
    String to,
    String messageId,
    AckVerdict verdict,
    String detail,
    String json,
    Instant at) {

  /** Whether CCS would have accepted this ack as the acknowledgement of a delivery. */
  public boolean valid() {
    return verdict == AckVerdict.VALID;
  }
}
