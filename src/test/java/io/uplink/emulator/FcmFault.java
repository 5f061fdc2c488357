package io.uplink.emulator;

import java.time.Duration;
import java.util.Optional;

/**
 * An error answer of FCM's HTTP v1 API: HTTP status, the Google API {@code status}, FCM's {@code
 * errorCode} (in the error's details) when FCM gives one, the request field a {@code BadRequest}
 * detail names, the text and any {@code Retry-After}. The factories are the answers FCM documents
 * for its error codes. Immutable.
 */
public record FcmFault(
    int httpStatus,
    String apiStatus,
    Optional<String> errorCode,
    Optional<String> invalidField,
    String message,
    Optional<Duration> retryAfter) {

  public static FcmFault quotaExceeded(Duration retryAfter) {
    return new FcmFault(
        429,
        "RESOURCE_EXHAUSTED",
        Optional.of("QUOTA_EXCEEDED"),
        Optional.empty(),
        "Quota exceeded for quota metric 'Send requests'",
        Optional.of(retryAfter));
  }

  public static FcmFault unavailable(Duration retryAfter) {
    return new FcmFault(
        503,
        "UNAVAILABLE",
        Optional.of("UNAVAILABLE"),
        Optional.empty(),
        "The service is currently unavailable.",
        Optional.of(retryAfter));
  }

  public static FcmFault internal() {
    return new FcmFault(
        500,
        "INTERNAL",
        Optional.of("INTERNAL"),
        Optional.empty(),
        "Internal error encountered.",
        Optional.empty());
  }

  /** No answer at all: the connection closes without a response (status 0 in the records). */
  public static FcmFault noAnswer() {
    return new FcmFault(0, "", Optional.empty(), Optional.empty(), "", Optional.empty());
  }

  /** A 502 from a proxy in front of FCM: no JSON, no code, only the status. */
  public static FcmFault badGateway() {
    return new FcmFault(502, "", Optional.empty(), Optional.empty(), "", Optional.empty());
  }

  static FcmFault invalidToken() {
    return new FcmFault(
        400,
        "INVALID_ARGUMENT",
        Optional.of("INVALID_ARGUMENT"),
        Optional.of("message.token"),
        "The registration token is not a valid FCM registration token",
        Optional.empty());
  }

  public static FcmFault invalidArgument(String message) {
    return new FcmFault(
        400,
        "INVALID_ARGUMENT",
        Optional.of("INVALID_ARGUMENT"),
        Optional.empty(),
        message,
        Optional.empty());
  }

  static FcmFault unregistered() {
    return new FcmFault(
        404,
        "NOT_FOUND",
        Optional.of("UNREGISTERED"),
        Optional.empty(),
        "Requested entity was not found.",
        Optional.empty());
  }

  static FcmFault senderIdMismatch() {
    return new FcmFault(
        403,
        "PERMISSION_DENIED",
        Optional.of("SENDER_ID_MISMATCH"),
        Optional.empty(),
        "SenderId mismatch",
        Optional.empty());
  }

  static FcmFault thirdPartyAuthError() {
    return new FcmFault(
        401,
        "UNAUTHENTICATED",
        Optional.of("THIRD_PARTY_AUTH_ERROR"),
        Optional.empty(),
        "Auth error from APNS or Web Push Service",
        Optional.empty());
  }

  static FcmFault unauthenticated() {
    return new FcmFault(
        401,
        "UNAUTHENTICATED",
        Optional.empty(),
        Optional.empty(),
        "Request had invalid authentication credentials. Expected OAuth 2 access token.",
        Optional.empty());
  }

  static FcmFault permissionDenied(String project) {
    return new FcmFault(
        403,
        "PERMISSION_DENIED",
        Optional.empty(),
        Optional.empty(),
        "Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/"
            + project
            + "'",
        Optional.empty());
  }
}
