package io.uplink.httpv1;

import io.uplink.downstream.NackAction;
import io.uplink.downstream.Outbound;
import io.uplink.downstream.Refusal;
import io.uplink.fcm.FcmAnswer;
import java.time.Duration;
import java.util.Locale;

/**
 * What an error answer of HTTP v1 means, by FCM's error code (and HTTP status when the code is not
 * one of FCM's own). Answers about one message end that message: a dead token ({@code
 * UNREGISTERED}, or {@code INVALID_ARGUMENT} about the token) fails it and invalidates the token;
 * {@code SENDER_ID_MISMATCH}, {@code THIRD_PARTY_AUTH_ERROR} and every other refusal of the request
 * (a 4xx but those below) fail it with FCM's text. Every other answer is about the whole sender and
 * pauses it, keeping the message: {@code QUOTA_EXCEEDED} and any 429, {@code UNAVAILABLE}, {@code
 * INTERNAL} and any 5xx (never shorter than {@code Retry-After}), and a 401, 403 or 404 without one
 * of those codes: an access token refused again after a new one was fetched, a service account
 * without permission for the project, a project that does not exist. A 200, and the first refusal
 * of an access token, are the channel's to handle. Stateless.
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
      case "SENDER_ID_MISMATCH", "THIRD_PARTY_AUTH_ERROR" -> NackAction.FAIL;
      default -> aboutTheSender(answer.httpStatus()) ? NackAction.PAUSE_SENDER : NackAction.FAIL;
    };
  }

  /**
   * Whether an answer is about the sender rather than the message, by its status when FCM's code
   * does not name the message or its token: overload ({@code QUOTA_EXCEEDED}, any 429), a server
   * error ({@code UNAVAILABLE}, {@code INTERNAL}, any 5xx), or a credential or project that Google
   * refuses ({@code UNAUTHENTICATED}, {@code PERMISSION_DENIED}, {@code NOT_FOUND}).
   */
  private static boolean aboutTheSender(int status) {
    return status >= 500 || status == 429 || status == 401 || status == 403 || status == 404;
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
