package io.uplink.emulator;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks FCM's HTTP v1 API makes on a {@code messages:send} body before it looks at the target,
 * answered with {@code 400 INVALID_ARGUMENT} and a text naming the problem: only known fields,
 * exactly one of {@code token}, {@code topic}, {@code condition}, string values in {@code data} and
 * no reserved keys, {@code android.priority} {@code normal} or {@code high}, {@code android.ttl} a
 * duration in seconds of at most four weeks, an {@code apns.payload} with an {@code aps} object,
 * and the payload limit of ccs-protocol.md §4.4 (4096 bytes of data keys and values and
 * notification texts, 2048 to a topic or condition). Stateless.
 */
final class HttpV1Rules {

  private static final Set<String> REQUEST_FIELDS = Set.of("message", "validate_only");
  private static final Set<String> MESSAGE_FIELDS =
      Set.of(
          "name",
          "data",
          "notification",
          "android",
          "webpush",
          "apns",
          "fcm_options",
          "token",
          "topic",
          "condition");
  private static final Set<String> NOTIFICATION_FIELDS = Set.of("title", "body", "image");
  private static final Set<String> ANDROID_FIELDS =
      Set.of(
          "collapse_key",
          "priority",
          "ttl",
          "restricted_package_name",
          "data",
          "notification",
          "fcm_options",
          "direct_boot_ok");
  private static final Set<String> APNS_FIELDS = Set.of("headers", "payload", "fcm_options");
  private static final Set<String> ANDROID_NOTIFICATION_FIELDS =
      Set.of(
          "title",
          "body",
          "icon",
          "color",
          "sound",
          "tag",
          "click_action",
          "body_loc_key",
          "body_loc_args",
          "title_loc_key",
          "title_loc_args",
          "channel_id",
          "image",
          "ticker",
          "sticky",
          "notification_priority",
          "visibility",
          "notification_count");
  private static final Set<String> APNS_HEADERS =
      Set.of(
          "apns-priority", "apns-expiration", "apns-collapse-id", "apns-push-type", "apns-topic");
  private static final Set<String> APS_FIELDS =
      Set.of(
          "alert",
          "badge",
          "sound",
          "content-available",
          "mutable-content",
          "category",
          "thread-id");
  private static final Set<String> ALERT_FIELDS =
      Set.of("title", "subtitle", "body", "loc-key", "loc-args", "title-loc-key", "title-loc-args");
  private static final Pattern TTL = Pattern.compile("(\\d{1,9})(\\.\\d{1,9})?s");
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9\\-_.~%]{1,900}");

  private HttpV1Rules() {}

  /** The refusal for the first rule the body breaks, or {@code null}. */
  static FcmFault check(JsonObject request) {
    String unknown = unknownField(request, REQUEST_FIELDS, "");
    if (unknown != null) {
      return FcmFault.invalidArgument(unknown);
    }
    if (!(request.get("message") instanceof JsonObject message)) {
      return FcmFault.invalidArgument("Invalid value at 'message': a message is required");
    }
    String problem = unknownField(message, MESSAGE_FIELDS, "message.");
    if (problem == null) {
      problem = target(message);
    }
    if (problem == null) {
      problem = data(message.get("data"), "message.data");
    }
    if (problem == null && message.get("notification") instanceof JsonObject notification) {
      problem = unknownField(notification, NOTIFICATION_FIELDS, "message.notification.");
    }
    if (problem == null && message.get("android") instanceof JsonObject android) {
      problem = android(android);
    }
    if (problem == null && message.get("apns") instanceof JsonObject apns) {
      problem = apns(apns);
    }
    if (problem == null) {
      problem = size(message);
    }
    return problem == null ? null : FcmFault.invalidArgument(problem);
  }

  private static String target(JsonObject message) {
    int targets =
        (message.containsKey("token") ? 1 : 0)
            + (message.containsKey("topic") ? 1 : 0)
            + (message.containsKey("condition") ? 1 : 0);
    if (targets != 1) {
      return "Invalid value at 'message': exactly one of token, topic and condition is required";
    }
    if (message.get("topic") instanceof JsonString topic
        && !TOPIC.matcher(topic.getString()).matches()) {
      return "Invalid value at 'message.topic': invalid topic name " + topic.getString();
    }
    return null;
  }

  private static String data(JsonValue data, String path) {
    if (data == null) {
      return null;
    }
    if (!(data instanceof JsonObject object)) {
      return "Invalid value at '" + path + "': must be a map of strings";
    }
    for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
      if (!(entry.getValue() instanceof JsonString)) {
        return "Invalid value at '" + path + "[" + entry.getKey() + "]' (TYPE_STRING)";
      }
      String key = entry.getKey();
      if (key.equals("from")
          || key.equals("message_type")
          || key.startsWith("google.")
          || key.startsWith("gcm.")) {
        return "Invalid data payload key: " + key;
      }
    }
    return null;
  }

  private static String android(JsonObject android) {
    String problem = unknownField(android, ANDROID_FIELDS, "message.android.");
    if (problem == null && android.get("notification") instanceof JsonObject notification) {
      problem =
          unknownField(notification, ANDROID_NOTIFICATION_FIELDS, "message.android.notification.");
    }
    if (problem == null && android.containsKey("priority")) {
      String priority = android.getString("priority", "").toLowerCase();
      if (!priority.equals("normal") && !priority.equals("high")) {
        problem = "Invalid value at 'message.android.priority'";
      }
    }
    if (problem == null && android.containsKey("ttl")) {
      var ttl = TTL.matcher(android.getString("ttl", ""));
      if (!ttl.matches() || Long.parseLong(ttl.group(1)) > DownstreamValidator.MAX_TIME_TO_LIVE) {
        problem = "Invalid value at 'message.android.ttl': " + android.get("ttl");
      }
    }
    return problem;
  }

  private static String apns(JsonObject apns) {
    String problem = unknownField(apns, APNS_FIELDS, "message.apns.");
    JsonObject aps = null;
    if (problem == null && apns.get("payload") instanceof JsonObject payload) {
      if (!(payload.get("aps") instanceof JsonObject object)) {
        return "Invalid value at 'message.apns.payload': aps must be an object";
      }
      aps = object;
      problem = aps(aps);
    }
    if (problem == null && apns.get("headers") instanceof JsonObject headers) {
      problem = apnsHeaders(headers, aps);
    }
    return problem;
  }

  private static String apnsHeaders(JsonObject headers, JsonObject aps) {
    String problem = unknownField(headers, APNS_HEADERS, "message.apns.headers.");
    if (problem != null) {
      return problem;
    }
    for (Map.Entry<String, JsonValue> header : headers.entrySet()) {
      if (!(header.getValue() instanceof JsonString)) {
        return "Invalid value at 'message.apns.headers[" + header.getKey() + "]' (TYPE_STRING)";
      }
    }
    String priority = headers.getString("apns-priority", "5");
    boolean background =
        aps != null && aps.containsKey("content-available") && !aps.containsKey("alert");
    if (!priority.equals("5") && !(priority.equals("10") && !background)) {
      return "APNs: invalid apns-priority "
          + priority
          + (background ? " for a background push" : "");
    }
    if (!headers.getString("apns-expiration", "0").matches("\\d{1,10}")) {
      return "APNs: apns-expiration must be epoch seconds";
    }
    if (utf8(headers.getString("apns-collapse-id", "")) > 64) {
      return "APNs: apns-collapse-id is longer than 64 bytes";
    }
    return null;
  }

  private static String aps(JsonObject aps) {
    String problem = unknownField(aps, APS_FIELDS, "message.apns.payload.aps.");
    for (String flag : List.of("content-available", "mutable-content")) {
      if (problem == null && aps.containsKey(flag) && !"1".equals(aps.get(flag).toString())) {
        problem = "APNs: " + flag + " must be 1";
      }
    }
    if (problem == null
        && aps.containsKey("badge")
        && aps.get("badge").getValueType() != JsonValue.ValueType.NUMBER) {
      problem = "APNs: badge must be a number";
    }
    if (problem == null && aps.get("alert") instanceof JsonObject alert) {
      problem = unknownField(alert, ALERT_FIELDS, "message.apns.payload.aps.alert.");
    }
    return problem;
  }

  private static String size(JsonObject message) {
    int bytes = 0;
    if (message.get("data") instanceof JsonObject data) {
      for (Map.Entry<String, JsonValue> entry : data.entrySet()) {
        bytes += utf8(entry.getKey()) + utf8(((JsonString) entry.getValue()).getString());
      }
    }
    if (message.get("notification") instanceof JsonObject notification) {
      for (Map.Entry<String, JsonValue> entry : notification.entrySet()) {
        JsonValue value = entry.getValue();
        bytes +=
            utf8(entry.getKey())
                + utf8(value instanceof JsonString text ? text.getString() : value.toString());
      }
    }
    int limit =
        message.containsKey("token")
            ? DownstreamValidator.MAX_PAYLOAD_BYTES
            : DownstreamValidator.MAX_TOPIC_PAYLOAD_BYTES;
    return bytes > limit ? "Message is too big: " + bytes + " bytes, limit " + limit : null;
  }

  private static String unknownField(JsonObject object, Set<String> known, String path) {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        return "Invalid JSON payload received. Unknown name \""
            + path
            + key
            + "\": Cannot find field.";
      }
    }
    return null;
  }

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
