package io.uplink.fcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.api.Downstream;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.api.Notification;
import io.uplink.api.Priority;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpV1MessageTest {

  private static final Instant EXPIRES = Instant.parse("2026-12-01T00:00:00Z");

  private static JsonObject request(Downstream message) {
    return Json.createReader(new StringReader(HttpV1Message.request(message, EXPIRES)))
        .readObject();
  }

  /** The {@code message} of the request as sent at {@code now}. */
  private static JsonObject messageSentAt(String request, Instant now) {
    return Json.createReader(new StringReader(HttpV1Message.requestAt(request, EXPIRES, now)))
        .readObject()
        .getJsonObject("message");
  }

  @Test
  void everyFieldHasItsPlaceInTheV1Message() {
    Downstream message =
        Downstream.to("token-1")
            .collapseKey("scores")
            .priority(Priority.HIGH)
            .timeToLive(600)
            .contentAvailable(true)
            .mutableContent(true)
            .data("score", "3-1")
            .notification(
                Notification.builder()
                    .title("Goal")
                    .body("3-1")
                    .icon("ball")
                    .sound("whistle")
                    .tag("match")
                    .color("#00ff00")
                    .clickAction("OPEN")
                    .androidChannelId("sports")
                    .badge("4")
                    .subtitle("Final")
                    .bodyLocalized("GOAL_BODY", List.of("3", "1"))
                    .build())
            .build();

    JsonObject json = request(message);

    assertFalse(json.containsKey("validate_only"));
    JsonObject v1 = json.getJsonObject("message");
    assertEquals("token-1", v1.getString("token"));
    assertEquals("3-1", v1.getJsonObject("data").getString("score"));
    assertEquals(
        Json.createObjectBuilder().add("title", "Goal").add("body", "3-1").build(),
        v1.getJsonObject("notification"));
    JsonObject android = v1.getJsonObject("android");
    assertEquals("scores", android.getString("collapse_key"));
    assertEquals("high", android.getString("priority"));
    assertEquals("600s", android.getString("ttl"));
    JsonObject androidNotification = android.getJsonObject("notification");
    assertEquals("ball", androidNotification.getString("icon"));
    assertEquals("sports", androidNotification.getString("channel_id"));
    assertEquals("OPEN", androidNotification.getString("click_action"));
    assertEquals("GOAL_BODY", androidNotification.getString("body_loc_key"));
    JsonObject apns = v1.getJsonObject("apns");
    JsonObject headers = apns.getJsonObject("headers");
    assertEquals("10", headers.getString("apns-priority"));
    assertEquals("scores", headers.getString("apns-collapse-id"));
    assertEquals(String.valueOf(EXPIRES.getEpochSecond()), headers.getString("apns-expiration"));
    JsonObject aps = apns.getJsonObject("payload").getJsonObject("aps");
    assertEquals(1, aps.getInt("content-available"));
    assertEquals(1, aps.getInt("mutable-content"));
    assertEquals(4, aps.getInt("badge"));
    assertEquals("Final", aps.getJsonObject("alert").getString("subtitle"));
    assertEquals("GOAL_BODY", aps.getJsonObject("alert").getString("loc-key"));
  }

  @Test
  void topicsConditionsAndDryRunsMapToTheirV1Fields() {
    assertEquals(
        "news",
        request(Downstream.to("/topics/news").build()).getJsonObject("message").getString("topic"));
    assertEquals(
        "'a' in topics",
        request(Downstream.toCondition("'a' in topics").build())
            .getJsonObject("message")
            .getString("condition"));
    assertTrue(request(Downstream.to("t").dryRun(true).build()).getBoolean("validate_only"));
  }

  @Test
  void whatV1CannotCarryIsRefusedNamingTheField() {
    InvalidDownstreamException receipt =
        assertThrows(
            InvalidDownstreamException.class,
            () ->
                HttpV1Message.request(
                    Downstream.to("t").deliveryReceiptRequested(true).build(), EXPIRES));
    assertTrue(receipt.getMessage().contains("delivery_receipt_requested"), receipt.getMessage());
    InvalidDownstreamException badge =
        assertThrows(
            InvalidDownstreamException.class,
            () ->
                HttpV1Message.request(
                    Downstream.to("t")
                        .notification(Notification.builder().badge("many").build())
                        .build(),
                    EXPIRES));
    assertTrue(badge.getMessage().contains("badge"), badge.getMessage());
  }

  @Test
  void aLateRequestAsksOnlyForWhatIsLeftOfItsTimeToLive() {
    String request = HttpV1Message.request(Downstream.to("t").timeToLive(600).build(), EXPIRES);

    assertEquals(request, HttpV1Message.requestAt(request, EXPIRES, EXPIRES.minusSeconds(900)));
    assertTrue(
        HttpV1Message.requestAt(request, EXPIRES, EXPIRES.minusSeconds(100))
            .contains("\"ttl\":\"100s\""));
    assertTrue(
        HttpV1Message.requestAt(request, EXPIRES, EXPIRES.plusSeconds(5))
            .contains("\"ttl\":\"0s\""));
    String nowOrNever = HttpV1Message.request(Downstream.to("t").timeToLive(0).build(), EXPIRES);
    assertEquals(nowOrNever, HttpV1Message.requestAt(nowOrNever, EXPIRES, EXPIRES.minusSeconds(1)));
  }

  /**
   * Without a {@code time_to_live}, FCM keeps a message four weeks from when it gets it: sent late,
   * it asks for what is left of four weeks from its acceptance, as a CCS send does.
   */
  @Test
  void aLateRequestWithoutTimeToLiveAsksForWhatIsLeftOfFourWeeks() {
    Instant accepted = EXPIRES.minusSeconds(Downstream.MAX_TIME_TO_LIVE);
    String request =
        HttpV1Message.request(Downstream.to("t").priority(Priority.HIGH).build(), EXPIRES);
    String plain = HttpV1Message.request(Downstream.to("t").data("k", "v").build(), EXPIRES);

    assertEquals(request, HttpV1Message.requestAt(request, EXPIRES, accepted.plusMillis(900)));
    JsonObject late = messageSentAt(request, accepted.plus(Duration.ofDays(1)));
    assertEquals(
        (Downstream.MAX_TIME_TO_LIVE - 86_400) + "s",
        late.getJsonObject("android").getString("ttl"));
    assertEquals("high", late.getJsonObject("android").getString("priority"), "the rest kept");
    JsonObject lateWithoutAndroid = messageSentAt(plain, accepted.plus(Duration.ofDays(27)));
    assertEquals("86400s", lateWithoutAndroid.getJsonObject("android").getString("ttl"));
  }

  @Test
  void aBackgroundPushGoesToApnsWithPriorityFiveAndEmptyPartsAreLeftOut() {
    JsonObject background =
        request(Downstream.to("t").priority(Priority.HIGH).contentAvailable(true).build())
            .getJsonObject("message");
    assertEquals(
        "5", background.getJsonObject("apns").getJsonObject("headers").getString("apns-priority"));

    JsonObject plain = request(Downstream.to("t").data("k", "v").build()).getJsonObject("message");
    assertFalse(plain.containsKey("android"), plain::toString);
    assertFalse(plain.containsKey("apns"), plain::toString);
  }

  @Test
  void aCollapseKeyLongerThanApnsTakesIsRefused() {
    InvalidDownstreamException refused =
        assertThrows(
            InvalidDownstreamException.class,
            () ->
                HttpV1Message.request(
                    Downstream.to("t").collapseKey("k".repeat(65)).build(), EXPIRES));
    assertTrue(refused.getMessage().contains("apns-collapse-id"), refused.getMessage());
  }

  @Test
  void aDataEntryNamedTtlIsNotShortened() {
    String request =
        HttpV1Message.request(
            Downstream.to("t").data("ttl", "600s").timeToLive(900).build(), EXPIRES);

    JsonObject late = messageSentAt(request, EXPIRES.minusSeconds(100));

    assertEquals("600s", late.getJsonObject("data").getString("ttl"));
    assertEquals("100s", late.getJsonObject("android").getString("ttl"));
  }
}
