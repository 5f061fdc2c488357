package io.uplink.emulator;

import java.time.Instant;

/**
 * A downstream message the client sent (ccs-protocol.md §3.1) and how the emulator answered it.
 * Immutable.
 *
 * @param stanzaId the XMPP {@code id} attribute, or {@code null}
 * @param messageId the JSON {@code message_id}, or {@code null} when missing or unparsable
 * @param to the JSON {@code to} (or {@code condition}), or {@code null}
 * @param detail the NACK error or the stanza error text; empty for an ACK
 * @param json the JSON text as received
 */
public record DownstreamRecord(
    String connectionId,
    String senderId,
    String stanzaId,
    String messageId,
    String to,
    Outcome outcome,
    String detail,
    String json,
    Instant at) {

  /** What the emulator sent back. */
  public enum Outcome {
    ACKED,
    NACKED,
    STANZA_ERROR
  }
}
