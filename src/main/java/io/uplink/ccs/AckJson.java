package io.uplink.ccs;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The JSON of an ack the app server sends (ccs-protocol.md §3.7). Public only because JSON-B
 * serialises public types. Immutable.
 */
@JsonbPropertyOrder({"to", "messageId", "messageType"})
public record AckJson(
    @JsonbProperty("to") String to,
    @JsonbProperty("message_id") String messageId,
    @JsonbProperty("message_type") String messageType) {

  static AckJson of(AckKey key) {
    return new AckJson(key.to(), key.messageId(), "ack");
  }
}
