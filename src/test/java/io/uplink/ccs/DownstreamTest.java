package io.uplink.ccs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.api.Downstream;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.api.Notification;
import io.uplink.api.Priority;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DownstreamTest {

  private static final String TOKEN = "fGz0QmHnT8eXoLongRegistrationTokenForTests1234567890";

  private final CcsCodec codec = new CcsCodec(new UpstreamLimits(16_384, Set.of()));

  @AfterEach
  void close() throws Exception {
    codec.close();
  }

  @Test
  void minimalMessageIsWrittenAsTheSpecShowsIt() {
    // ccs-protocol.md §3.1, "A valid equivalent".
    Downstream message =
        Downstream.to("REGISTRATION_ID")
            .messageId("m-1366082849205")
            .data("hello", "world")
            .timeToLive(600)
            .deliveryReceiptRequested(true)
            .build();

    assertEquals(
        "{\"to\":\"REGISTRATION_ID\",\"message_id\":\"m-1366082849205\","
            + "\"data\":{\"hello\":\"world\"},\"time_to_live\":600,"
            + "\"delivery_receipt_requested\":true}",
        codec.downstream(message));
  }

  @Test
  void everyFieldHasItsWireName() {
    Downstream message =
        Downstream.toCondition("'news' in topics && 'sport' in topics")
            .messageId("m-2")
            .collapseKey("scores")
            .priority(Priority.HIGH)
            .contentAvailable(true)
            .mutableContent(true)
            .timeToLive(0)
            .dryRun(true)
            .notification(
                Notification.builder()
                    .title("Goal")
                    .body("2-1")
                    .clickAction("OPEN")
                    .bodyLocalized("GOAL_BODY", List.of("2", "1"))
                    .androidChannelId("scores")
                    .build())
            .build();

    String json = codec.downstream(message);

    for (String field :
        List.of(
            "\"condition\":\"'news' in topics && 'sport' in topics\"",
            "\"collapse_key\":\"scores\"",
            "\"priority\":\"high\"",
            "\"content_available\":true",
            "\"mutable_content\":true",
            "\"time_to_live\":0",
            "\"dry_run\":true",
            "\"click_action\":\"OPEN\"",
            "\"body_loc_args\":[\"2\",\"1\"]",
            "\"android_channel_id\":\"scores\"")) {
      assertTrue(json.contains(field), field + " in " + json);
    }
    assertFalse(json.contains("\"to\""), json);
    assertFalse(
        json.contains("delivery_receipt_requested"), "false booleans are left out: " + json);
  }

  @Test
  void exactlyOneOfToAndConditionIsRequired() {
    assertThrows(
        InvalidDownstreamException.class,
        () -> Downstream.to(TOKEN).condition("'a' in topics").build());
    assertThrows(InvalidDownstreamException.class, () -> Downstream.to(" ").build());
  }

  @Test
  void timeToLiveMustBeWithinFourWeeks() {
    Downstream.to(TOKEN).timeToLive(Downstream.MAX_TIME_TO_LIVE).build();
    InvalidDownstreamException e =
        assertThrows(
            InvalidDownstreamException.class,
            () -> Downstream.to(TOKEN).timeToLive(Downstream.MAX_TIME_TO_LIVE + 1).build());
    assertTrue(e.getMessage().contains("time_to_live"));
    assertThrows(
        InvalidDownstreamException.class, () -> Downstream.to(TOKEN).timeToLive(-1).build());
  }

  @Test
  void overlongIdsAndTargetsAreRefusedBeforeTheyReachTheOutbox() {
    Downstream.to(TOKEN).messageId("i".repeat(Downstream.MAX_MESSAGE_ID_LENGTH)).build();
    assertThrows(
        InvalidDownstreamException.class,
        () ->
            Downstream.to(TOKEN)
                .messageId("i".repeat(Downstream.MAX_MESSAGE_ID_LENGTH + 1))
                .build());
    assertThrows(
        InvalidDownstreamException.class,
        () -> Downstream.to("t".repeat(Downstream.MAX_TARGET_LENGTH + 1)).build());
  }

  @Test
  void reservedDataKeysAreRefused() {
    for (String key : List.of("from", "google.sent_time", "GCM.x", "gcm")) {
      assertThrows(
          InvalidDownstreamException.class, () -> Downstream.to(TOKEN).data(key, "v").build(), key);
    }
    Downstream.to(TOKEN).data("fromage", "ok").build();
  }

  @Test
  void payloadLimitIsLowerForTopicsAndConditions() {
    String value = "x".repeat(3000);
    Downstream.to(TOKEN).data("k", value).build();
    assertThrows(
        InvalidDownstreamException.class,
        () -> Downstream.to("/topics/news").data("k", value).build());
    assertThrows(
        InvalidDownstreamException.class,
        () -> Downstream.toCondition("'news' in topics").data("k", value).build());
    assertThrows(
        InvalidDownstreamException.class,
        () -> Downstream.to(TOKEN).data("k", "x".repeat(Downstream.MAX_PAYLOAD_BYTES)).build());
  }

  @Test
  void notificationCountsTowardsThePayload() {
    String body = "b".repeat(Downstream.MAX_PAYLOAD_BYTES);
    assertThrows(
        InvalidDownstreamException.class,
        () -> Downstream.to(TOKEN).notification(Notification.builder().body(body).build()).build());
  }

  @Test
  void tokenIsNeverShownInFull() {
    Downstream message = Downstream.to(TOKEN).messageId("m-9").build();
    assertFalse(message.toString().contains(TOKEN), message.toString());
    assertEquals("/topics/news", Downstream.to("/topics/news").build().target());
  }

  @Test
  void idIsRequiredToWriteTheMessage() {
    assertThrows(IllegalStateException.class, () -> codec.downstream(Downstream.to(TOKEN).build()));
    assertTrue(codec.downstream(Downstream.to(TOKEN).build().withMessageId("m-3")).contains("m-3"));
  }
}
