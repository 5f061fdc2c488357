package io.uplink.fcm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FcmAnswerTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void anAcceptedMessageCarriesItsName() {
    FcmAnswer answer =
        FcmAnswer.of(200, "{\"name\":\"projects/p/messages/0:1\"}", Optional.empty(), NOW);

    assertEquals(Optional.of("projects/p/messages/0:1"), answer.name());
    assertEquals(Optional.empty(), answer.errorCode());
  }

  @Test
  void fcmsErrorCodeComesFromTheDetailsAndTheApiStatusOtherwise() {
    String unregistered =
        "{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":"
            + "\"NOT_FOUND\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.Other\"},"
            + "{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
            + "\"errorCode\":\"UNREGISTERED\"}]}}";
    FcmAnswer answer = FcmAnswer.of(404, unregistered, Optional.empty(), NOW);
    assertEquals(Optional.of("UNREGISTERED"), answer.errorCode());
    assertEquals("Requested entity was not found.", answer.errorText());

    FcmAnswer unauthenticated =
        FcmAnswer.of(
            401,
            "{\"error\":{\"code\":401,\"message\":\"bad token\",\"status\":\"UNAUTHENTICATED\"}}",
            Optional.empty(),
            NOW);
    assertEquals(Optional.of("UNAUTHENTICATED"), unauthenticated.errorCode());
  }

  @Test
  void theFieldsABadRequestNamesAreRead() {
    String invalidToken =
        "{\"error\":{\"code\":400,\"message\":\"The registration token is not a valid FCM"
            + " registration token\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
            + "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":"
            + "\"INVALID_ARGUMENT\"},{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\","
            + "\"fieldViolations\":[{\"field\":\"message.token\",\"description\":\"bad\"}]}]}}";

    FcmAnswer answer = FcmAnswer.of(400, invalidToken, Optional.empty(), NOW);

    assertEquals(Optional.of("INVALID_ARGUMENT"), answer.errorCode());
    assertEquals(List.of("message.token"), answer.invalidFields());
  }

  @Test
  void aBodyThatIsNotGooglesErrorJsonIsStillAnAnswerByItsStatus() {
    FcmAnswer answer = FcmAnswer.of(502, "<html>Bad Gateway</html>", Optional.empty(), NOW);

    assertEquals(502, answer.httpStatus());
    assertEquals(Optional.empty(), answer.errorCode());
    assertEquals("HTTP 502", answer.errorText());
  }

  @Test
  void retryAfterIsReadInSecondsOrAsAnHttpDate() {
    assertEquals(
        Optional.of(Duration.ofSeconds(7)),
        FcmAnswer.of(429, "{}", Optional.of("7"), NOW).retryAfter());
    assertEquals(
        Optional.of(Duration.ofSeconds(30)),
        FcmAnswer.of(503, "{}", Optional.of("Sat, 28 Nov 2026 10:00:30 GMT"), NOW).retryAfter());
    assertEquals(Optional.empty(), FcmAnswer.of(503, "{}", Optional.of("soon"), NOW).retryAfter());
  }
}
