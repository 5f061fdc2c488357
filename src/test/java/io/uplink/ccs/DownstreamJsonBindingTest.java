package io.uplink.ccs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.uplink.api.Downstream;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.api.Notification;
import io.uplink.api.Priority;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin API reads a message to send with the binding the codec writes CCS's JSON with. */
class DownstreamJsonBindingTest {

  private final DownstreamJsonBinding binding = new DownstreamJsonBinding();
  private final Jsonb jsonb =
      JsonbBuilder.create(new JsonbConfig().withSerializers(binding).withDeserializers(binding));

  @AfterEach
  void close() throws Exception {
    jsonb.close();
  }

  @Test
  void everyFieldReadsBackAsItWasWritten() {
    Downstream message =
        Downstream.to("/topics/news")
            .messageId("m-1")
            .collapseKey("scores")
            .priority(Priority.HIGH)
            .contentAvailable(true)
            .mutableContent(true)
            .timeToLive(0)
            .deliveryReceiptRequested(true)
            .dryRun(true)
            .data(Map.of("k", "v", "n", "2"))
            .notification(
                Notification.builder()
                    .title("Goal")
                    .bodyLocalized("GOAL_BODY", List.of("2", "1"))
                    .androidChannelId("scores")
                    .build())
            .build();

    assertEquals(message, jsonb.fromJson(jsonb.toJson(message), Downstream.class));
    Downstream condition = Downstream.toCondition("'a' in topics").messageId("m-2").build();
    assertEquals(condition, jsonb.fromJson(jsonb.toJson(condition), Downstream.class));
  }

  @Test
  void fieldsItDoesNotKnowAndNullsAreSkipped() {
    Downstream message =
        jsonb.fromJson(
            "{\"sender_id\":\"42\",\"delay_while_idle\":true,\"extra\":{\"a\":[1,{}]},"
                + "\"to\":\"t\",\"collapse_key\":null,\"notification\":null,\"data\":null}",
            Downstream.class);

    assertEquals(Downstream.to("t").build(), message);
  }

  @Test
  void aFieldOfTheWrongTypeIsRefusedByName() {
    Map<String, String> refusals =
        Map.ofEntries(
            Map.entry("{\"to\":5}", "to must be a string, not number"),
            Map.entry("{\"to\":\"t\",\"priority\":1}", "priority must be a string, not number"),
            Map.entry(
                "{\"to\":\"t\",\"time_to_live\":\"6h\"}", "time_to_live must be a whole number"),
            Map.entry("{\"to\":\"t\",\"time_to_live\":1.5}", "time_to_live must be a whole number"),
            Map.entry("{\"to\":\"t\",\"time_to_live\":4294967296}", "time_to_live is out of range"),
            Map.entry(
                "{\"to\":\"t\",\"time_to_live\":\"4294967296\"}", "time_to_live is out of range"),
            Map.entry(
                "{\"to\":\"t\",\"dry_run\":\"yes\"}", "dry_run must be true or false, not string"),
            Map.entry("{\"to\":\"t\",\"data\":{\"k\":1}}", "data.k must be a string, not number"),
            Map.entry("{\"to\":\"t\",\"data\":[]}", "data must be an object, not array"),
            Map.entry("{\"to\":\"t\",\"notification\":\"x\"}", "notification must be an object"),
            Map.entry(
                "{\"to\":\"t\",\"priority\":\"urgent\"}", "priority must be 'normal' or 'high'"));
    refusals.forEach(
        (json, reason) -> {
          JsonbException e =
              assertThrows(JsonbException.class, () -> jsonb.fromJson(json, Downstream.class));
          InvalidDownstreamException cause =
              assertInstanceOf(InvalidDownstreamException.class, e.getCause(), json);
          assertEquals(true, cause.getMessage().startsWith(reason), cause.getMessage());
        });
  }

  @Test
  void timeToLiveMayBeAStringOfDigitsAsInGooglesExamples() {
    assertEquals(
        Downstream.to("t").timeToLive(600).build(),
        jsonb.fromJson("{\"to\":\"t\",\"time_to_live\":\"600\"}", Downstream.class));
  }

  @Test
  void aMessageCcsWouldRefuseIsNotRead() {
    JsonbException e =
        assertThrows(
            JsonbException.class,
            () -> jsonb.fromJson("{\"to\":\"t\",\"condition\":\"c\"}", Downstream.class));
    assertInstanceOf(InvalidDownstreamException.class, e.getCause());
  }
}
