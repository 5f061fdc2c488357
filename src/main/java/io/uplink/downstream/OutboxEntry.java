package io.uplink.downstream;

import java.time.Instant;
import java.util.Optional;

/**
 * The state of one downstream message as the outbox records it: for the admin API and operators.
 * Immutable.
 *
 * @param target where it went, token abbreviated
 * @param receiptAt when a delivery receipt arrived, if one was requested and came
 * @param owner the instance sending it, while it is pending
 * @param fcmName the name FCM's HTTP v1 API gave it when it accepted it
 */
public record OutboxEntry(
    String senderId,
    String messageId,
    String target,
    OutboxStatus status,
    Optional<String> error,
    Instant acceptedAt,
    Optional<Instant> answeredAt,
    Optional<Instant> receiptAt,
    Optional<String> owner,
    Optional<String> fcmName) {}
