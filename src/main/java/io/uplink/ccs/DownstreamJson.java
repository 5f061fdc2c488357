package io.uplink.ccs;

import io.uplink.api.Downstream;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.api.Notification;
import io.uplink.api.Priority;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of a downstream message as CCS reads it (ccs-protocol.md §3.1), in both directions: the
 * codec writes it for CCS (booleans only when true, absent fields left out, as JSON-B skips nulls),
 * and the admin API reads a message to send from it, so the wire fields are declared here once.
 * Public because JSON-B binds public types. Immutable.
 */
public record DownstreamJson(
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

  static DownstreamJson of(Downstream message) {
    return new DownstreamJson(
        message.to().orElse(null),
        message.condition().orElse(null),
        message.messageId().orElseThrow(() -> new IllegalStateException("no message_id assigned")),
        message.collapseKey().orElse(null),
        message.priority().map(Priority::wire).orElse(null),
        trueOrNull(message.contentAvailable()),
        trueOrNull(message.mutableContent()),
        message.timeToLive().orElse(null),
        trueOrNull(message.deliveryReceiptRequested()),
        trueOrNull(message.dryRun()),
        message.data().isEmpty() ? null : message.data(),
        message.notification().orElse(null));
  }

  /**
   * The message it describes.
   *
   * @throws InvalidDownstreamException naming the rule it breaks
   */
  public Downstream toDownstream() {
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
      throw new InvalidDownstreamException("priority must be 'normal' or 'high': '" + value + "'");
    }
  }

  private static Boolean trueOrNull(boolean value) {
    return value ? Boolean.TRUE : null;
  }
}
