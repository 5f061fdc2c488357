package io.uplink.downstream;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * CCS's nack or FCM's error answer for one downstream message, in the terms the outbox's policy
 * acts on. Immutable.
 *
 * @param code the error code, a metric label: CCS's nack code, or FCM's {@code errorCode}
 * @param error what the send's result and the outbox record: the code, with FCM's text if any
 * @param token the registration token the message went to, for a {@code TokenInvalidated} event
 * @param notBefore the earliest the message may be retried ({@code Retry-After}); zero if unsaid
 */
public record Refusal(
    String code, String error, String token, NackAction action, Duration notBefore) {

  /** What an error code looks like (ccs-protocol.md §3.4, FCM's codes alike). */
  private static final Pattern CODE = Pattern.compile("[A-Z_0-9]{1,64}");

  /** The code as a metric label: the codes are a short list, anything else is {@code OTHER}. */
  String codeLabel() {
    return CODE.matcher(code).matches() ? code : "OTHER";
  }
}
