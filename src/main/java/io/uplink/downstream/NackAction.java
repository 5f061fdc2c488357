package io.uplink.downstream;

import java.util.Locale;

/**
 * What to do with a message CCS nacked or FCM refused: by CCS's error code (ccs-protocol.md §3.4),
 * or by HTTP v1's error answer.
 */
public enum NackAction {
  /** The token is dead: tell the application and fail the send. */
  INVALIDATE_TOKEN,
  /** CCS could not process it now: retry with exponential backoff from 1 s. */
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
      case "INVALID_JSON", "BAD_ACK", "INVALID_TTL", "JSON_TYPE_ERROR", "AUTHENTICATION_FAILED" ->
          FAIL;
      // SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR and any unexpected code (§3.4).
      default -> RETRY_WITH_BACKOFF;
    };
  }
}
