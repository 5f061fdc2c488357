package io.uplink.downstream;

import java.util.Locale;

/**
 * What to do with a message CCS nacked or FCM refused: by CCS's error code (ccs-protocol.md §3.4),
 * or by HTTP v1's error answer.
 */
public enum NackAction {
  /** The token is dead: tell the application and fail the send. */
  INVALIDATE_TOKEN,
  /**
   * The answer is about the whole sender (CCS or FCM unavailable or failing, over quota, the
   * credentials refused): the message waits, without spending a retry, while the sender pauses
   * ({@link SenderPause}).
   */
  PAUSE_SENDER,
  /** Something went wrong with this message that may pass: retry with exponential backoff. */
  RETRY_WITH_BACKOFF,
  /** Too many messages to this device or topic: retry, but later than a plain retry. */
  SLOW_DOWN,
  /** The connection is draining: resend at once on another connection. */
  RESEND_NOW,
  /** The message or the ack is wrong: retrying cannot help. */
  FAIL;

  /** The action for one of CCS's nack codes. */
  public static NackAction of(String error) {
    return switch (error.toUpperCase(Locale.ROOT)) {
      case "BAD_REGISTRATION", "DEVICE_UNREGISTERED" -> INVALIDATE_TOKEN;
      case "DEVICE_MESSAGE_RATE_EXCEEDED", "TOPICS_MESSAGE_RATE_EXCEEDED", "QUOTA_EXCEEDED" ->
          SLOW_DOWN;
      case "CONNECTION_DRAINING" -> RESEND_NOW;
      case "SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR" -> PAUSE_SENDER;
      case "INVALID_JSON", "BAD_ACK", "INVALID_TTL", "JSON_TYPE_ERROR", "AUTHENTICATION_FAILED" ->
          FAIL;
      // §3.4 treats an unexpected code as INTERNAL_SERVER_ERROR, a retry; but it may be about this
      // message alone, so it spends the message's retries instead of pausing the whole sender.
      default -> RETRY_WITH_BACKOFF;
    };
  }
}
