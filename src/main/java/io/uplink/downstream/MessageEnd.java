package io.uplink.downstream;

import io.uplink.api.SendResult;
import java.util.Optional;

/**
 * How one downstream message ended: what the outbox records for it, the token event recorded with
 * it, and what its caller learns once both are recorded. Immutable apart from the message's result.
 *
 * @param error null for an ack
 * @param fcmName the name FCM's HTTP v1 API gave an accepted message
 */
public record MessageEnd(
    Outbound message,
    OutboxStatus status,
    String error,
    Optional<String> fcmName,
    Optional<TokenEventRecord> event,
    SendResult result) {}
