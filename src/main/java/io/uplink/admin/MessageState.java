package io.uplink.admin;

import io.uplink.downstream.OutboxEntry;
import io.uplink.downstream.OutboxStatus;
import jakarta.json.bind.annotation.JsonbProperty;
import java.time.Instant;
import java.util.Locale;

/**
 * The answer of {@code GET /uplink/api/messages/{id}}. {@code state} is {@code pending}, {@code
 * acked}, {@code nacked} (with {@code error}), {@code failed} (with {@code error}), {@code expired}
 * (its time_to_live ran out unsent), {@code cancelled} (by an operator, unsent) or {@code
 * receipt_received}; {@code owner} names the instance sending a pending one, {@code fcm_name} the
 * name FCM's HTTP v1 API gave a message it accepted. Immutable.
 */
public record MessageState(
    @JsonbProperty("message_id") String messageId,
    @JsonbProperty("sender_id") String senderId,
    @JsonbProperty("target") String target,
    @JsonbProperty("state") String state,
    @JsonbProperty("error") String error,
    @JsonbProperty("accepted_at") String acceptedAt,
    @JsonbProperty("answered_at") String answeredAt,
    @JsonbProperty("receipt_at") String receiptAt,
    @JsonbProperty("owner") String owner,
    @JsonbProperty("fcm_name") String fcmName) {

  static MessageState of(OutboxEntry entry) {
    String state =
        entry.receiptAt().isPresent()
            ? "receipt_received"
            : entry.status().name().toLowerCase(Locale.ROOT);
    return new MessageState(
        entry.messageId(),
        entry.senderId(),
        entry.target(),
        state,
        entry.error().orElse(null),
        entry.acceptedAt().toString(),
        entry.answeredAt().map(Instant::toString).orElse(null),
        entry.receiptAt().map(Instant::toString).orElse(null),
        entry.status() == OutboxStatus.PENDING ? entry.owner().orElse(null) : null,
        entry.fcmName().orElse(null));
  }
}
