package io.uplink.emulator;

import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Map;

/**
 * Reads and writes the JSON payloads of {@code google:mobile:data} stanzas with JSON-P, strictly:
 * duplicate keys and trailing content are rejected. The factories are created once and shared, so
 * no provider lookup happens per message. Thread-safe.
 */
final class GcmJson {

  private final JsonReaderFactory readers;
  private final JsonBuilderFactory builders;

  GcmJson() {
    JsonProvider provider = JsonProvider.provider();
    readers =
        provider.createReaderFactory(Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));
    builders = provider.createBuilderFactory(Map.of());
  }

  /**
   * Parses one JSON object; throws {@link jakarta.json.JsonException} (with a parser message) when
   * it is not one.
   */
  JsonObject parseObject(String text) {
    try (JsonReader reader = readers.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  /** The value of {@code field} if it is a JSON string, else {@code null}. */
  static String string(JsonObject json, String field) {
    JsonValue value = json.get(field);
    return value instanceof JsonString s ? s.getString() : null;
  }

  /** The upstream payload in the field order of a captured CCS stanza (ccs-protocol.md §5). */
  String upstream(Upstream message) {
    JsonObjectBuilder data = builders.createObjectBuilder();
    message.data().forEach(data::add);
    JsonObjectBuilder json = builders.createObjectBuilder().add("data", data);
    if (message.timeToLive() != null) {
      json.add("time_to_live", message.timeToLive());
    }
    return json.add("from", message.from())
        .add("message_id", message.messageId())
        .add("category", message.category())
        .build()
        .toString();
  }

  /**
   * The ACK of a downstream message (ccs-protocol.md §3.2), with the canonical {@code
   * registration_id} when {@code registrationId} is not {@code null}.
   */
  String downstreamAck(String from, String messageId, String registrationId) {
    JsonObjectBuilder json =
        builders
            .createObjectBuilder()
            .add("from", from)
            .add("message_id", messageId)
            .add("message_type", "ack");
    if (registrationId != null) {
      json.add("registration_id", registrationId);
    }
    return json.build().toString();
  }

  /** A delivery receipt in the field order of the docs' example (ccs-protocol.md §3.8, §5). */
  String receipt(DeliveryReceipt receipt) {
    JsonObjectBuilder data =
        builders
            .createObjectBuilder()
            .add("message_status", "MESSAGE_SENT_TO_DEVICE")
            .add("original_message_id", receipt.originalMessageId())
            .add("device_registration_id", receipt.deviceRegistrationId())
            .add("message_sent_timestamp", Long.toString(receipt.sentTimestampMillis()));
    return builders
        .createObjectBuilder()
        .add("category", receipt.category())
        .add("data", data)
        .add("message_id", receipt.messageId())
        .add("message_type", "receipt")
        .add("from", receipt.from())
        .build()
        .toString();
  }

  /**
   * A NACK (ccs-protocol.md §3.3); {@code from} may be {@code null} when the message had no target.
   */
  String nack(String from, String messageId, String error, String description) {
    JsonObjectBuilder json =
        builders.createObjectBuilder().add("message_type", "nack").add("message_id", messageId);
    if (from != null) {
      json.add("from", from);
    }
    return json.add("error", error).add("error_description", description).build().toString();
  }

  /** The {@code CONNECTION_DRAINING} control message (ccs-protocol.md §3.9). */
  String connectionDraining() {
    return builders
        .createObjectBuilder()
        .add("message_type", "control")
        .add("control_type", "CONNECTION_DRAINING")
        .build()
        .toString();
  }
}
