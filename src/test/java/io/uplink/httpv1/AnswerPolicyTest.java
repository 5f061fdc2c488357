package io.uplink.httpv1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.downstream.NackAction;
import io.uplink.downstream.Outbound;
import io.uplink.downstream.Refusal;
import io.uplink.fcm.FcmAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AnswerPolicyTest {

  private static final Outbound MESSAGE =
      new Outbound(
          "sender", "m-1", "token-1", "token…", "{}", Instant.MAX, 0, new CompletableFuture<>());

  private static Refusal refusal(int status, String code, String text, Duration retryAfter) {
    return AnswerPolicy.refusal(
        new FcmAnswer(
            status,
            Optional.empty(),
            Optional.ofNullable(code),
            List.of(),
            text,
            Optional.ofNullable(retryAfter)),
        MESSAGE);
  }

  @Test
  void deadTokensFailAndInvalidateTheToken() {
    Refusal unregistered = refusal(404, "UNREGISTERED", "Requested entity was not found.", null);
    assertEquals(NackAction.INVALIDATE_TOKEN, unregistered.action());
    assertEquals("token-1", unregistered.token());
    assertEquals(
        NackAction.INVALIDATE_TOKEN,
        refusal(
                400,
                "INVALID_ARGUMENT",
                "The registration token is not a valid FCM registration token",
                null)
            .action());
  }

  @Test
  void aBadRequestNamingTheTokenInvalidatesItWhateverTheText() {
    Refusal refusal =
        AnswerPolicy.refusal(
            new FcmAnswer(
                400,
                Optional.empty(),
                Optional.of("INVALID_ARGUMENT"),
                List.of("message.token"),
                "Ungültiges Token",
                Optional.empty()),
            MESSAGE);
    assertEquals(NackAction.INVALIDATE_TOKEN, refusal.action());
  }

  @Test
  void otherInvalidArgumentsAndPermanentErrorsFailWithFcmsText() {
    Refusal invalid = refusal(400, "INVALID_ARGUMENT", "Message is too big", null);
    assertEquals(NackAction.FAIL, invalid.action());
    assertEquals("INVALID_ARGUMENT: Message is too big", invalid.error());
    assertEquals(
        NackAction.FAIL, refusal(403, "SENDER_ID_MISMATCH", "SenderId mismatch", null).action());
    assertEquals(NackAction.FAIL, refusal(401, "THIRD_PARTY_AUTH_ERROR", "APNs", null).action());
    assertEquals(NackAction.FAIL, refusal(400, null, "HTTP 400", null).action());
  }

  @Test
  void overloadAndServerErrorsPauseTheSenderNoShorterThanRetryAfter() {
    Refusal quota = refusal(429, "QUOTA_EXCEEDED", "quota", Duration.ofSeconds(9));
    assertEquals(NackAction.PAUSE_SENDER, quota.action());
    assertEquals(Duration.ofSeconds(9), quota.notBefore());
    assertEquals(NackAction.PAUSE_SENDER, refusal(429, "RESOURCE_EXHAUSTED", "", null).action());
    assertEquals(NackAction.PAUSE_SENDER, refusal(503, "UNAVAILABLE", "", null).action());
    assertEquals(NackAction.PAUSE_SENDER, refusal(500, "INTERNAL", "", null).action());
    Refusal proxy = refusal(502, null, "HTTP 502", null);
    assertEquals(NackAction.PAUSE_SENDER, proxy.action());
    assertEquals("HTTP_502", proxy.code());
    assertEquals(Duration.ZERO, proxy.notBefore());
  }

  @Test
  void refusedCredentialsAndAMissingProjectPauseTheSender() {
    assertEquals(
        NackAction.PAUSE_SENDER, refusal(401, "UNAUTHENTICATED", "bad token", null).action());
    assertEquals(
        NackAction.PAUSE_SENDER, refusal(403, "PERMISSION_DENIED", "denied", null).action());
    assertEquals(NackAction.PAUSE_SENDER, refusal(404, "NOT_FOUND", "no project", null).action());
  }

  @Test
  void every401ButThirdPartyAuthErrorsAsksForANewAccessToken() {
    assertTrue(AnswerPolicy.accessTokenRefused(answer(401, "UNAUTHENTICATED")));
    assertFalse(AnswerPolicy.accessTokenRefused(answer(401, "THIRD_PARTY_AUTH_ERROR")));
    assertFalse(AnswerPolicy.accessTokenRefused(answer(403, "PERMISSION_DENIED")));
  }

  private static FcmAnswer answer(int status, String code) {
    return new FcmAnswer(
        status, Optional.empty(), Optional.of(code), List.of(), "", Optional.empty());
  }
}
