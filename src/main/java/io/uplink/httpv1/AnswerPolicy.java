package io.uplink.httpv1;

import io.uplink.downstream.NackAction;
import io.uplink.downstream.Outbound;
import io.uplink.downstream.Refusal;
import io.uplink.fcm.FcmAnswer;
import java.time.Duration;
import java.util.Locale;

/**
 * What an error answer of HTTP v1 means for the message, by FCM's error code (and HTTP status when
 * there is none): a dead token ({@code UNREGISTERED}, or {@code INVALID_ARGUMENT} about the token)
 * fails it and invalidates the token; {@code QUOTA_EXCEEDED} slows the target down; {@code
 * UNAVAILABLE}, {@code INTERNAL} and any 5xx are retried with backoff, never sooner than {@code
 * Retry-After}; {@code SENDER_ID_MISMATCH}, {@code THIRD_PARTY_AUTH_ERROR} and every other refusal
 * fail it with FCM's text. A 200, and a 401 that refuses the access token (any 401 but {@code
 * THIRD_PARTY_AUTH_ERROR}), are the channel's to handle. Stateless.
 */
final class AnswerPolicy {

  private AnswerPolicy() {}

  static Refusal refusal(FcmAnswer answer, Outbound message) {
    String code = answer.errorCode().orElse("HTTP_" + answer.httpStatus());
    String error = code + ": " + answer.errorText();
    Duration notBefore = answer.retryAfter().orElse(Duration.ZERO);
    return new Refusal(code, error, message.targetKey(), action(answer, code), notBefore);
  }

  /** Whether the answer says the access token was not accepted, so a fresh one may help. */
  static boolean accessTokenRefused(FcmAnswer answer) {
    return answer.httpStatus() == 401
        && !answer.errorCode().filter("THIRD_PARTY_AUTH_ERROR"::equals).isPresent();
  }

  private static NackAction action(FcmAnswer answer, String code) {
    return switch (code) {
      case "UNREGISTERED" -> NackAction.INVALIDATE_TOKEN;
      case "INVALID_ARGUMENT" ->
          aboutTheToken(answer) ? NackAction.INVALIDATE_TOKEN : NackAction.FAIL;
      case "QUOTA_EXCEEDED", "RESOURCE_EXHAUSTED" -> NackAction.SLOW_DOWN;
      case "UNAVAILABLE", "INTERNAL" -> NackAction.RETRY_WITH_BACKOFF;
      default ->
          answer.httpStatus() >= 500
              ? NackAction.RETRY_WITH_BACKOFF
              : answer.httpStatus() == 429 ? NackAction.SLOW_DOWN : NackAction.FAIL;
    };
  }

  /**
   * FCM answers a malformed or unknown registration token with {@code INVALID_ARGUMENT}, a {@code
   * BadRequest} detail naming {@code message.token}, and a text naming the token ("The registration
   * token is not a valid FCM registration token").
   */
  private static boolean aboutTheToken(FcmAnswer answer) {
    return answer.invalidFields().contains("message.token")
        || answer.errorText().toLowerCase(Locale.ROOT).contains("registration token");
  }
}
