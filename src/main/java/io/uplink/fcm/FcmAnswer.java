package io.uplink.fcm;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What FCM's HTTP v1 API answered to one {@code messages:send}: the message's {@code name} on 200,
 * otherwise the HTTP status, the Google API {@code status} (such as {@code INVALID_ARGUMENT}),
 * FCM's own {@code errorCode} from the error's details (such as {@code UNREGISTERED}) when it gave
 * one, its text and any {@code Retry-After}. A body that is not the documented JSON is still an
 * answer, by its HTTP status. Immutable.
 *
 * @param errorCode FCM's {@code errorCode} if the details held one, else the API {@code status}
 * @param invalidFields the fields of the request FCM found invalid, such as {@code message.token}
 */
public record FcmAnswer(
    int httpStatus,
    Optional<String> name,
    Optional<String> errorCode,
    List<String> invalidFields,
    String errorText,
    Optional<Duration> retryAfter) {

  private static final JsonProvider JSON = JsonProvider.provider();
  private static final String FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
  private static final String BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";
  private static final int MAX_TEXT = 300;

  /**
   * Reads an answer.
   *
   * @param retryAfter the {@code Retry-After} header: seconds or an HTTP date
   * @param now for an HTTP date
   */
  public static FcmAnswer of(int status, String body, Optional<String> retryAfter, Instant now) {
    Optional<Duration> wait = retryAfter.flatMap(value -> retryAfter(value, now));
    Optional<JsonObject> json = parse(body);
    if (status == 200) {
      Optional<String> name = json.map(j -> j.getString("name", null));
      return new FcmAnswer(status, name, Optional.empty(), List.of(), "", wait);
    }
    Optional<JsonObject> error =
        json.map(j -> j.get("error"))
            .filter(v -> v.getValueType() == JsonValue.ValueType.OBJECT)
            .map(JsonValue::asJsonObject);
    Optional<String> code =
        error
            .flatMap(FcmAnswer::fcmErrorCode)
            .or(() -> error.map(e -> e.getString("status", null)));
    String text =
        error
            .map(e -> e.getString("message", ""))
            .filter(message -> !message.isBlank())
            .orElse("HTTP " + status);
    List<String> fields = error.map(FcmAnswer::invalidFields).orElse(List.of());
    return new FcmAnswer(status, Optional.empty(), code, fields, shorten(text), wait);
  }

  private static Optional<String> fcmErrorCode(JsonObject error) {
    return details(error, FCM_ERROR).findFirst().map(detail -> detail.getString("errorCode", null));
  }

  private static List<String> invalidFields(JsonObject error) {
    return details(error, BAD_REQUEST)
        .map(detail -> detail.get("fieldViolations"))
        .filter(v -> v != null && v.getValueType() == JsonValue.ValueType.ARRAY)
        .flatMap(v -> ((JsonArray) v).stream())
        .filter(v -> v.getValueType() == JsonValue.ValueType.OBJECT)
        .map(v -> v.asJsonObject().getString("field", ""))
        .toList();
  }

  /** The error's details of the given {@code @type}. */
  private static Stream<JsonObject> details(JsonObject error, String type) {
    JsonValue details = error.get("details");
    if (details == null || details.getValueType() != JsonValue.ValueType.ARRAY) {
      return Stream.empty();
    }
    return ((JsonArray) details)
        .stream()
            .filter(detail -> detail.getValueType() == JsonValue.ValueType.OBJECT)
            .map(JsonValue::asJsonObject)
            .filter(detail -> type.equals(detail.getString("@type", null)));
  }

  private static Optional<JsonObject> parse(String body) {
    try (JsonReader reader = JSON.createReader(new StringReader(body))) {
      JsonValue value = reader.readValue();
      return value.getValueType() == JsonValue.ValueType.OBJECT
          ? Optional.of(value.asJsonObject())
          : Optional.empty();
    } catch (JsonException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> retryAfter(String value, Instant now) {
    String text = value.trim();
    try {
      if (text.matches("\\d{1,9}")) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
      }
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String shorten(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }
}
