package io.uplink.fcm;

import io.uplink.api.Downstream;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.api.Notification;
import io.uplink.api.Priority;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Maps a {@link Downstream} to the body of an HTTP v1 {@code messages:send} request: {@code to} a
 * token, a topic ({@code /topics/x}) or a condition; {@code data} as strings; title and body as the
 * common notification, the Android-only fields under {@code android.notification}, badge and
 * subtitle under {@code apns}; collapse key, priority and {@code time_to_live} under {@code
 * android} and as APNs headers; {@code content_available} and {@code mutable_content} in {@code
 * aps}; {@code dry_run} as {@code validate_only}. What v1 cannot carry is refused, naming the
 * field. Stateless.
 */
public final class HttpV1Message {

  private static final JsonProvider JSON = JsonProvider.provider();
  private static final String TOPIC_PREFIX = "/topics/";

  /** APNs's limit on {@code apns-collapse-id}. */
  private static final int MAX_APNS_COLLAPSE_ID_BYTES = 64;

  private HttpV1Message() {}

  /**
   * The request body for the message.
   *
   * @param expiresAt when its {@code time_to_live} runs out, for APNs's absolute expiry
   * @throws InvalidDownstreamException for what HTTP v1 cannot carry
   */
  public static String request(Downstream message, Instant expiresAt) {
    refuseWhatV1CannotCarry(message);
    JsonObjectBuilder body = JSON.createObjectBuilder();
    if (message.dryRun()) {
      body.add("validate_only", true);
    }
    return body.add("message", message(message, expiresAt)).build().toString();
  }

  /** Whether {@code json} is a request this class made (and not a CCS message's JSON). */
  public static boolean isRequest(String json) {
    return json.startsWith("{\"message\":") || json.startsWith("{\"validate_only\":");
  }

  /**
   * The request body to send now: a request sent more than a second late (an outage, a retry, a
   * restart) asks FCM to keep the message only for what is left of its {@code time_to_live}, as CCS
   * sends do; one without a {@code time_to_live} gets what is left of FCM's default, the longest,
   * from its acceptance.
   */
  public static String requestAt(String request, Instant expiresAt, Instant now) {
    long left = Math.max(0, Duration.between(now, expiresAt).toSeconds());
    boolean late = left + 1 < Downstream.MAX_TIME_TO_LIVE;
    if (!late && !request.contains("\"ttl\":")) {
      return request;
    }
    JsonObject body;
    try (JsonReader reader = JSON.createReader(new StringReader(request))) {
      body = reader.readObject();
    }
    JsonObject message = body.getJsonObject("message");
    JsonObject android = message.getJsonObject("android");
    String ttl = android == null ? null : android.getString("ttl", null);
    long asked =
        ttl == null
            ? Downstream.MAX_TIME_TO_LIVE
            : Long.parseLong(ttl.substring(0, ttl.length() - 1));
    if (asked == 0 || left + 1 >= asked) {
      return request;
    }
    JsonObject shortened =
        (android == null ? JSON.createObjectBuilder() : JSON.createObjectBuilder(android))
            .add("ttl", left + "s")
            .build();
    return JSON.createObjectBuilder(body)
        .add("message", JSON.createObjectBuilder(message).add("android", shortened))
        .build()
        .toString();
  }

  /** The reason the message cannot go through HTTP v1, thrown at send time. */
  private static void refuseWhatV1CannotCarry(Downstream message) {
    if (message.deliveryReceiptRequested()) {
      throw new InvalidDownstreamException(
          "delivery_receipt_requested: HTTP v1 has no delivery receipts; send it through a CCS"
              + " sender or leave it unset");
    }
    message
        .collapseKey()
        .filter(key -> key.getBytes(StandardCharsets.UTF_8).length > MAX_APNS_COLLAPSE_ID_BYTES)
        .ifPresent(
            key -> {
              throw new InvalidDownstreamException(
                  "collapse_key: HTTP v1 sends it to APNs as apns-collapse-id, at most "
                      + MAX_APNS_COLLAPSE_ID_BYTES
                      + " bytes");
            });
    message
        .notification()
        .map(Notification::badge)
        .filter(badge -> !badge.matches("\\d{1,9}"))
        .ifPresent(
            badge -> {
              throw new InvalidDownstreamException(
                  "notification badge '" + badge + "': HTTP v1 (APNs) takes a whole number");
            });
  }

  private static JsonObject message(Downstream message, Instant expiresAt) {
    JsonObjectBuilder json = JSON.createObjectBuilder();
    message.condition().ifPresent(condition -> json.add("condition", condition));
    message
        .to()
        .ifPresent(
            to -> {
              if (to.startsWith(TOPIC_PREFIX)) {
                json.add("topic", to.substring(TOPIC_PREFIX.length()));
              } else {
                json.add("token", to);
              }
            });
    if (!message.data().isEmpty()) {
      JsonObjectBuilder data = JSON.createObjectBuilder();
      message.data().forEach(data::add);
      json.add("data", data);
    }
    message.notification().ifPresent(n -> json.add("notification", common(n)));
    JsonObject android = android(message).build();
    if (!android.isEmpty()) {
      json.add("android", android);
    }
    apns(message, expiresAt).ifPresent(apns -> json.add("apns", apns));
    return json.build();
  }

  private static JsonObjectBuilder common(Notification notification) {
    JsonObjectBuilder json = JSON.createObjectBuilder();
    addIfSet(json, "title", notification.title());
    addIfSet(json, "body", notification.body());
    return json;
  }

  private static JsonObjectBuilder android(Downstream message) {
    JsonObjectBuilder json = JSON.createObjectBuilder();
    message.collapseKey().ifPresent(key -> json.add("collapse_key", key));
    message.priority().ifPresent(priority -> json.add("priority", priority.wire()));
    message.timeToLive().ifPresent(ttl -> json.add("ttl", ttl + "s"));
    message
        .notification()
        .ifPresent(
            n -> {
              JsonObjectBuilder notification = JSON.createObjectBuilder();
              addIfSet(notification, "icon", n.icon());
              addIfSet(notification, "sound", n.sound());
              addIfSet(notification, "tag", n.tag());
              addIfSet(notification, "color", n.color());
              addIfSet(notification, "click_action", n.clickAction());
              addIfSet(notification, "body_loc_key", n.bodyLocKey());
              addIfSet(notification, "body_loc_args", n.bodyLocArgs());
              addIfSet(notification, "title_loc_key", n.titleLocKey());
              addIfSet(notification, "title_loc_args", n.titleLocArgs());
              addIfSet(notification, "channel_id", n.androidChannelId());
              json.add("notification", notification);
            });
    return json;
  }

  /** The APNs part, when the message has anything for APNs. */
  private static Optional<JsonObject> apns(Downstream message, Instant expiresAt) {
    JsonObjectBuilder headers = JSON.createObjectBuilder();
    boolean background = message.contentAvailable() && message.notification().isEmpty();
    message
        .priority()
        .ifPresent(
            priority ->
                headers.add(
                    "apns-priority", priority == Priority.HIGH && !background ? "10" : "5"));
    message.collapseKey().ifPresent(key -> headers.add("apns-collapse-id", key));
    message
        .timeToLive()
        .ifPresent(
            ttl ->
                headers.add(
                    "apns-expiration",
                    ttl == 0 ? "0" : String.valueOf(expiresAt.getEpochSecond())));
    JsonObjectBuilder aps = JSON.createObjectBuilder();
    if (message.contentAvailable()) {
      aps.add("content-available", 1);
    }
    if (message.mutableContent()) {
      aps.add("mutable-content", 1);
    }
    message.notification().ifPresent(n -> apsAlert(aps, n));
    JsonObject builtHeaders = headers.build();
    JsonObject builtAps = aps.build();
    if (builtHeaders.isEmpty() && builtAps.isEmpty()) {
      return Optional.empty();
    }
    JsonObjectBuilder apns = JSON.createObjectBuilder();
    if (!builtHeaders.isEmpty()) {
      apns.add("headers", builtHeaders);
    }
    if (!builtAps.isEmpty()) {
      apns.add("payload", JSON.createObjectBuilder().add("aps", builtAps));
    }
    return Optional.of(apns.build());
  }

  private static void apsAlert(JsonObjectBuilder aps, Notification notification) {
    if (notification.badge() != null) {
      aps.add("badge", Integer.parseInt(notification.badge()));
    }
    addIfSet(aps, "sound", notification.sound());
    JsonObjectBuilder alert = JSON.createObjectBuilder();
    addIfSet(alert, "subtitle", notification.subtitle());
    addIfSet(alert, "loc-key", notification.bodyLocKey());
    addIfSet(alert, "loc-args", notification.bodyLocArgs());
    addIfSet(alert, "title-loc-key", notification.titleLocKey());
    addIfSet(alert, "title-loc-args", notification.titleLocArgs());
    JsonObject built = alert.build();
    if (!built.isEmpty()) {
      aps.add("alert", built);
    }
  }

  private static void addIfSet(JsonObjectBuilder json, String key, String value) {
    if (value != null) {
      json.add(key, value);
    }
  }

  private static void addIfSet(JsonObjectBuilder json, String key, List<String> values) {
    if (values != null) {
      JsonArrayBuilder array = JSON.createArrayBuilder();
      values.forEach(array::add);
      json.add(key, array);
    }
  }
}
