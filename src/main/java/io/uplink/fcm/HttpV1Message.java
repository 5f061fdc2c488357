package io.uplink.fcm;

import io.uplink.api.Downstream;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.api.Notification;
import io.uplink.api.Priority;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a {@link Downstream} to the body of an HTTP v1 {@code messages:send} request: {@code to} a
 * token, a topic ({@code /topics/x}) or a condition; {@code data} as strings; title, body and image
 * as the common notification, the Android-only fields under {@code android.notification}, badge and
 * subtitle under {@code apns}; collapse key, priority and {@code time_to_live} under {@code
 * android} and as APNs headers; {@code content_available} and {@code mutable_content} in {@code
 * aps}; {@code dry_run} as {@code validate_only}. What v1 cannot carry is refused, naming the
 * field. Stateless.
 */
public final class HttpV1Message {

  private static final JsonProvider JSON = JsonProvider.provider();
  private static final String TOPIC_PREFIX = "/topics/";
  private static final Pattern TTL = Pattern.compile("\"ttl\":\"(\\d+)s\"");

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

  /**
   * The request body to send now: a request sent late (an outage, a retry, a restart) asks FCM to
   * keep the message only for what is left of its {@code time_to_live}, as CCS sends do.
   */
  public static String requestAt(String request, Instant expiresAt, Instant now) {
    Matcher ttl = TTL.matcher(request);
    if (!ttl.find() || ttl.group(1).equals("0")) {
      return request;
    }
    long left = Math.max(0, Duration.between(now, expiresAt).toSeconds());
    if (left >= Long.parseLong(ttl.group(1))) {
      return request;
    }
    return request.substring(0, ttl.start(1)) + left + request.substring(ttl.end(1));
  }

  /** The reason the message cannot go through HTTP v1, thrown at send time. */
  private static void refuseWhatV1CannotCarry(Downstream message) {
    if (message.deliveryReceiptRequested()) {
      throw new InvalidDownstreamException(
          "delivery_receipt_requested: HTTP v1 has no delivery receipts; send it through a CCS"
              + " sender or leave it unset");
    }
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
    json.add("android", android(message));
    json.add("apns", apns(message, expiresAt));
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

  private static JsonObjectBuilder apns(Downstream message, Instant expiresAt) {
    JsonObjectBuilder headers = JSON.createObjectBuilder();
    message
        .priority()
        .ifPresent(
            priority -> headers.add("apns-priority", priority == Priority.HIGH ? "10" : "5"));
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
    return JSON.createObjectBuilder()
        .add("headers", headers)
        .add("payload", JSON.createObjectBuilder().add("aps", aps));
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
