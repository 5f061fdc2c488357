package io.uplink.ccs;

import io.uplink.api.Downstream;
import io.uplink.api.Notification;
import io.uplink.api.Priority;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Map;

/**
 * The JSON of a downstream message as CCS reads it (ccs-protocol.md §3.1): booleans only when true,
 * absent fields left out (JSON-B skips nulls). Public only because JSON-B serialises public types.
 * Immutable.
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

  private static Boolean trueOrNull(boolean value) {
    return value ? Boolean.TRUE : null;
  }
}
