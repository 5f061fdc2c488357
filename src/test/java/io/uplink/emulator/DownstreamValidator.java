package io.uplink.emulator;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The payload rules of a downstream message that CCS answers with {@code INVALID_JSON}
 * (ccs-protocol.md §3.1, §3.3, §3.4, §4.4): the target, field types, the TTL range, reserved data
 * keys and the payload size. The descriptions follow the documented NACK examples ({@code
 * InvalidJson: JSON_TYPE_ERROR : ...}, {@code InvalidJson: INVALID_TTL : ...}).
 *
 * <p>Payload size: the UTF-8 bytes of every key and value of {@code data} and {@code notification}
 * ("includes both the keys and the values", §4.4), where a value that is not a JSON string counts
 * as its JSON text. The limit is 4096 bytes, 2048 for a topic ({@code to} starting with {@code
 * /topics/}) or a {@code condition}.
 *
 * <p>Stateless and thread-safe.
 */
final class DownstreamValidator {

  static final int MAX_TIME_TO_LIVE = 2_419_200;
  static final int MAX_PAYLOAD_BYTES = 4096;
  static final int MAX_TOPIC_PAYLOAD_BYTES = 2048;
  static final String TOPIC_PREFIX = "/topics/";

  private static final List<String> BOOLEAN_FIELDS =
      List.of(
          "delivery_receipt_requested",
          "dry_run",
          "content_available",
          "mutable_content",
          "delay_while_idle");
  private static final List<String> STRING_FIELDS = List.of("collapse_key", "priority");
  private static final List<String> OBJECT_FIELDS = List.of("data", "notification");
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9\\-_.~%]+");
  private static final Pattern CONDITION_TOPIC =
      Pattern.compile("'([a-zA-Z0-9\\-_.~%]+)'\\s+in\\s+topics");
  private static final Pattern CONDITION_OPERATOR = Pattern.compile("&&|\\|\\|");
  private static final int MAX_CONDITION_OPERATORS = 2;

  private DownstreamValidator() {}

  /**
   * Returns the {@code INVALID_JSON} NACK for the first rule {@code json} breaks, or {@code null}
   * when it breaks none. {@code message_id} has already been checked (a stanza error, §3.5).
   */
  static DownstreamReply.Nack check(JsonObject json) {
    DownstreamReply.Nack nack = checkTarget(json);
    if (nack == null) {
      nack = checkTimeToLive(json.get("time_to_live"));
    }
    for (int i = 0; nack == null && i < BOOLEAN_FIELDS.size(); i++) {
      nack = checkBoolean(BOOLEAN_FIELDS.get(i), json.get(BOOLEAN_FIELDS.get(i)));
    }
    for (int i = 0; nack == null && i < STRING_FIELDS.size(); i++) {
      JsonValue value = json.get(STRING_FIELDS.get(i));
      if (value != null && !(value instanceof JsonString)) {
        nack = typeError(STRING_FIELDS.get(i), "java.lang.String", value);
      }
    }
    if (nack == null && json.get("priority") instanceof JsonString priority) {
      String value = priority.getString();
      if (!value.equals("normal") && !value.equals("high")) {
        nack =
            invalid(
                "InvalidJson: INVALID_PRIORITY : Field \"priority\" must be \"normal\" or \"high\": "
                    + value);
      }
    }
    for (int i = 0; nack == null && i < OBJECT_FIELDS.size(); i++) {
      JsonValue value = json.get(OBJECT_FIELDS.get(i));
      if (value != null && !(value instanceof JsonObject)) {
        nack = typeError(OBJECT_FIELDS.get(i), "org.json.JSONObject", value);
      }
    }
    if (nack == null) {
      nack = checkDataKeys(json.get("data"));
    }
    if (nack == null) {
      nack = checkSize(json);
    }
    return nack;
  }

  /** Whether {@code to} names a topic rather than a token or notification key. */
  static boolean isTopic(String to) {
    return to.startsWith(TOPIC_PREFIX);
  }

  /** Whether the part after {@code /topics/} is a valid topic name (§3.1). */
  static boolean isValidTopic(String to) {
    return TOPIC_NAME.matcher(to).region(TOPIC_PREFIX.length(), to.length()).matches();
  }

  /** The topic names a {@code condition} mentions, in order. */
  static List<String> conditionTopics(String condition) {
    List<String> topics = new ArrayList<>(2);
    Matcher matcher = CONDITION_TOPIC.matcher(condition);
    while (matcher.find()) {
      topics.add(matcher.group(1));
    }
    return topics;
  }

  private static DownstreamReply.Nack checkTarget(JsonObject json) {
    JsonValue to = json.get("to");
    JsonValue condition = json.get("condition");
    if (to != null && !(to instanceof JsonString)) {
      return typeError("to", "java.lang.String", to);
    }
    if (condition != null && !(condition instanceof JsonString)) {
      return typeError("condition", "java.lang.String", condition);
    }
    boolean hasTo = to != null && !((JsonString) to).getString().isEmpty();
    boolean hasCondition = condition != null && !((JsonString) condition).getString().isEmpty();
    if (!hasTo && !hasCondition) {
      return invalid(
          "InvalidJson: MISSING_REGISTRATION : Missing registration ID: set \"to\" or"
              + " \"condition\"");
    }
    if (hasTo && hasCondition) {
      return invalid("InvalidJson: Must not set both \"to\" and \"condition\"");
    }
    if (hasCondition) {
      String text = ((JsonString) condition).getString();
      if (conditionTopics(text).isEmpty()) {
        return invalid(
            "InvalidJson: INVALID_CONDITION : No \"'topic' in topics\" term in condition: " + text);
      }
      long operators = CONDITION_OPERATOR.matcher(text).results().count();
      if (operators > MAX_CONDITION_OPERATORS) {
        return invalid(
            "InvalidJson: INVALID_CONDITION : At most "
                + MAX_CONDITION_OPERATORS
                + " operators allowed in condition: "
                + text);
      }
    }
    return null;
  }

  private static DownstreamReply.Nack checkTimeToLive(JsonValue ttl) {
    if (ttl == null) {
      return null;
    }
    if (!(ttl instanceof JsonNumber number)) {
      return typeError("time_to_live", "java.lang.Number", ttl);
    }
    if (!number.isIntegral()
        || number.bigDecimalValue().signum() < 0
        || number.bigDecimalValue().compareTo(BigDecimal.valueOf(MAX_TIME_TO_LIVE)) > 0) {
      return invalid(
          "InvalidJson: INVALID_TTL : Invalid value ("
              + number
              + ") for \"time_to_live\": must be between 0 and \""
              + MAX_TIME_TO_LIVE
              + "\"");
    }
    return null;
  }

  private static DownstreamReply.Nack checkBoolean(String field, JsonValue value) {
    if (value == null || value == JsonValue.TRUE || value == JsonValue.FALSE) {
      return null;
    }
    return typeError(field, "java.lang.Boolean", value);
  }

  private static DownstreamReply.Nack checkDataKeys(JsonValue data) {
    if (!(data instanceof JsonObject object)) {
      return null;
    }
    for (String key : object.keySet()) {
      if (key.equals("from") || key.startsWith("google") || key.startsWith("gcm")) {
        return invalid(
            "InvalidJson: InvalidDataKey : Data key \""
                + key
                + "\" is reserved (\"from\", or starting with \"google\" or \"gcm\")");
      }
    }
    return null;
  }

  private static DownstreamReply.Nack checkSize(JsonObject json) {
    int size = payloadBytes(json.get("data")) + payloadBytes(json.get("notification"));
    boolean topicLimit =
        json.containsKey("condition")
            || json.get("to") instanceof JsonString to && isTopic(to.getString());
    int limit = topicLimit ? MAX_TOPIC_PAYLOAD_BYTES : MAX_PAYLOAD_BYTES;
    if (size <= limit) {
      return null;
    }
    return invalid(
        "InvalidJson: MessageTooBig : Payload of "
            + size
            + " bytes (keys and values of data and notification) exceeds "
            + limit
            + " bytes"
            + (topicLimit ? " (limit of topic and condition messages)" : ""));
  }

  /** The bytes of the keys and values of a {@code data} or {@code notification} object. */
  static int payloadBytes(JsonValue value) {
    if (!(value instanceof JsonObject object)) {
      return 0;
    }
    int bytes = 0;
    for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
      bytes += utf8Length(entry.getKey());
      JsonValue item = entry.getValue();
      bytes += utf8Length(item instanceof JsonString s ? s.getString() : item.toString());
    }
    return bytes;
  }

  private static int utf8Length(String text) {
    int length = text.length();
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return text.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return length;
  }

  private static DownstreamReply.Nack typeError(String field, String type, JsonValue value) {
    String shown = value instanceof JsonString s ? s.getString() : value.toString();
    return invalid(
        "InvalidJson: JSON_TYPE_ERROR : Field \""
            + field
            + "\" must be a JSON "
            + type
            + ": "
            + shown);
  }

  private static DownstreamReply.Nack invalid(String description) {
    return new DownstreamReply.Nack("INVALID_JSON", description);
  }
}
