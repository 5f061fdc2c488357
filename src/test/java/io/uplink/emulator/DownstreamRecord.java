package io.uplink.emulator;

import java.time.Instant;

/**
 * A downstream message the client sent (ccs-protocol.md §3.1) and how the emulator answered it, so
 * far. The emulator records a message as {@link Outcome#PENDING} when it arrives and replaces the
 * record when the answer is written or abandoned; {@link CcsEmulator#downstream()} returns the
 * latest version of each. Immutable.
 *
 * @param stanzaId the XMPP {@code id} attribute, or {@code null}
 * @param messageId the JSON {@code message_id}, or {@code null} when missing or unparsable
 * @param to the JSON {@code to} (or {@code condition}), or {@code null}
 * @param detail the NACK error code, the stanza error text, or why the message went unanswered;
 *     empty for an ACK and while pending
 * @param description the NACK {@code error_description}; empty otherwise
 * @param json the JSON text as received
 * @param receivedAt when the emulator read the message
 * @param answeredAt when the answer was queued for writing, or {@code null} while pending and for a
 *     message never answered
 */
public record DownstreamRecord(
    String connectionId,
    String senderId,
    String stanzaId,
    String messageId,
    String to,
    Outcome outcome,
    String detail,
    String description,
    String json,
    Instant receivedAt,
    Instant answeredAt) {

  /** What the emulator did with the message. */
  public enum Outcome {
    /** Accepted onto the connection; the answer is delayed or held and not written yet. */
    PENDING,
    ACKED,
    NACKED,
    STANZA_ERROR,
    /**
     * Never answered: its connection closed first (the client must resend it, §4.3), or it broke
     * the pending limit (§4.1).
     */
    UNANSWERED
  }

  /** Whether an answer (ACK, NACK or stanza error) was queued for the client. */
  public boolean answered() {
    return outcome != Outcome.PENDING && outcome != Outcome.UNANSWERED;
  }

  DownstreamRecord settle(Outcome settled, String why, String text, Instant at) {
    return new DownstreamRecord(
        connectionId, senderId, stanzaId, messageId, to, settled, why, text, json, receivedAt, at);
  }
}
