package io.uplink.admin;

import io.uplink.api.Downstream;
import io.uplink.api.Notification;
import io.uplink.api.Priority;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON body of {@code POST /uplink/api/messages}: the downstream fields of ccs-protocol.md §3.1
 * under their wire names, plus an optional {@code sender_id} (default: the first configured
 * sender). Immutable.
 */
public record MessageRequest(
    @JsonbProperty("sender_id") String senderId,
    @JsonbProperty("to") String to,
    @JsonbProperty("condition") String condition,
    @JsonbProperty("message_id") String messageId,
    @JsonbProperty("collapse_key") String collapseKey,
    @JsonbProperty("priority") String priority,
    @JsonbProperty("content_available") Boolean contentAvailable,
    @JsonbProperty("mutable_content") Boolean mutableContent,
    @JsonbProperty("time_to_live") Integer timeToLive,
    @JsonbProperty("delivery_receipt_requested") Boolean deliveryReceiptRequested,
    @JsonbProperty("dry_run") Boolean dryRun,
    @JsonbProperty("data") Map<String, String> data,
    @JsonbProperty("notification") Notification notification) {

  /**
   * The message it describes.
   *
   * @throws io.uplink.api.InvalidDownstreamException naming the rule it breaks
   */
  Downstream toDownstream() {
    Downstream.Builder builder =
        to != null ? Downstream.to(to).condition(condition) : Downstream.toCondition(condition);
    builder
        .messageId(messageId)
        .collapseKey(collapseKey)
        .contentAvailable(Boolean.TRUE.equals(contentAvailable))
        .mutableContent(Boolean.TRUE.equals(mutableContent))
        .deliveryReceiptRequested(Boolean.TRUE.equals(deliveryReceiptRequested))
        .dryRun(Boolean.TRUE.equals(dryRun))
        .notification(notification);
    if (priority != null) {
      builder.priority(priority(priority));
    }
    if (timeToLive != null) {
      builder.timeToLive(timeToLive);
    }
    if (data != null) {
      builder.data(data);
    }
    return builder.build();
  }

  private static Priority priority(String value) {
    try {
      return Priority.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new io.uplink.api.InvalidDownstreamException(
          "priority must be 'normal' or 'high': '" + value + "'");
    }
  }
}
