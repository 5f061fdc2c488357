package io.uplink.ccs;

import io.uplink.api.Downstream;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.api.Notification;
import io.uplink.api.Priority;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a {@link Downstream} reads and writes as the JSON CCS takes (ccs-protocol.md §3.1), so that
 * the message's fields are declared once, in {@link Downstream}, and their CCS names only here. The
 * codec writes it for CCS in the order of the spec's example, leaving out absent fields and false
 * booleans (the defaults); the admin API reads a message to send with it. Reading checks the
 * message's own fields as CCS does: one of the wrong JSON type is refused by name, except a {@code
 * time_to_live} given as a string of digits, as Google's examples send it; {@code notification} is
 * read with JSON-B's defaults; fields it does not know are skipped, as the admin API's body also
 * carries its own. Stateless and thread-safe.
 */
public final class DownstreamJsonBinding
    implements JsonbSerializer<Downstream>, JsonbDeserializer<Downstream> {

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");

  @Override
  public void serialize(Downstream message, JsonGenerator json, SerializationContext ctx) {
    json.writeStartObject();
    message.to().ifPresent(to -> json.write("to", to));
    message.condition().ifPresent(condition -> json.write("condition", condition));
    message.messageId().ifPresent(id -> json.write("message_id", id));
    message.collapseKey().ifPresent(key -> json.write("collapse_key", key));
    message.priority().ifPresent(priority -> json.write("priority", priority.wire()));
    writeIfTrue(json, "content_available", message.contentAvailable());
    writeIfTrue(json, "mutable_content", message.mutableContent());
    if (!message.data().isEmpty()) {
      json.writeStartObject("data");
      message.data().forEach(json::write);
      json.writeEnd();
    }
    message.notification().ifPresent(n -> ctx.serialize("notification", n, json));
    message.timeToLive().ifPresent(ttl -> json.write("time_to_live", ttl));
    writeIfTrue(json, "delivery_receipt_requested", message.deliveryReceiptRequested());
    writeIfTrue(json, "dry_run", message.dryRun());
    json.writeEnd();
  }

  /**
   * Reads one message; the parser stands on its opening brace.
   *
   * @throws InvalidDownstreamException naming the field or rule the JSON breaks
   */
  @Override
  public Downstream deserialize(JsonParser json, DeserializationContext ctx, Type type) {
    Downstream.Builder message = Downstream.to(null);
    while (json.next() == JsonParser.Event.KEY_NAME) {
      String field = json.getString();
      if (json.next() == JsonParser.Event.START_OBJECT && field.equals("notification")) {
        message.notification(ctx.deserialize(Notification.class, json));
        continue;
      }
      JsonValue value = json.getValue();
      if (value.getValueType() != JsonValue.ValueType.NULL) {
        read(message, field, value);
      }
    }
    return message.build();
  }

  private static void read(Downstream.Builder message, String field, JsonValue value) {
    switch (field) {
      case "to" -> message.to(string(field, value));
      case "condition" -> message.condition(string(field, value));
      case "message_id" -> message.messageId(string(field, value));
      case "collapse_key" -> message.collapseKey(string(field, value));
      case "priority" -> message.priority(priority(string(field, value)));
      case "content_available" -> message.contentAvailable(bool(field, value));
      case "mutable_content" -> message.mutableContent(bool(field, value));
      case "data" -> message.data(strings(field, value));
      case "notification" -> throw wrongType(field, "an object", value);
      case "time_to_live" -> message.timeToLive(wholeNumber(field, value));
      case "delivery_receipt_requested" -> message.deliveryReceiptRequested(bool(field, value));
      case "dry_run" -> message.dryRun(bool(field, value));
      default -> {
        // Not a field of the message (the admin API's sender_id, or one CCS ignores).
      }
    }
  }

  private static void writeIfTrue(JsonGenerator json, String field, boolean value) {
    if (value) {
      json.write(field, true);
    }
  }

  private static String string(String field, JsonValue value) {
    if (value instanceof JsonString string) {
      return string.getString();
    }
    throw wrongType(field, "a string", value);
  }

  private static boolean bool(String field, JsonValue value) {
    return switch (value.getValueType()) {
      case TRUE -> true;
      case FALSE -> false;
      default -> throw wrongType(field, "true or false", value);
    };
  }

  private static int wholeNumber(String field, JsonValue value) {
    try {
      if (value instanceof JsonNumber number && number.isIntegral()) {
        return number.intValueExact();
      }
      if (value instanceof JsonString text && DIGITS.matcher(text.getString()).matches()) {
        return Integer.parseInt(text.getString());
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new InvalidDownstreamException(field + " is out of range: " + value);
    }
    throw wrongType(field, "a whole number", value);
  }

  private static Map<String, String> strings(String field, JsonValue value) {
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw wrongType(field, "an object", value);
    }
    Map<String, String> strings = new LinkedHashMap<>();
    value.asJsonObject().forEach((key, item) -> strings.put(key, string(field + "." + key, item)));
    return strings;
  }

  private static Priority priority(String value) {
    try {
      return Priority.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidDownstreamException("priority must be 'normal' or 'high': '" + value + "'");
    }
  }

  private static InvalidDownstreamException wrongType(
      String field, String expected, JsonValue value) {
    return new InvalidDownstreamException(
        field
            + " must be "
            + expected
            + ", not "
            + value.getValueType().toString().toLowerCase(Locale.ROOT));
  }
}
