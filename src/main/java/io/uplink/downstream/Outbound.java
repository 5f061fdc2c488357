package io.uplink.downstream;

import io.uplink.api.Downstream;
import io.uplink.api.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One downstream message on its way: what to send, which attempt this is, and the result the
 * application waits on. Each retry is a new instance sharing the same result. Immutable apart from
 * the result, which completes once.
 *
 * @param targetKey where it goes, in full ({@code to} or {@code condition}); never logged
 * @param target where it goes, token abbreviated, for logs
 * @param expiresAt when its {@code time_to_live} (ccs-protocol.md §4.4) runs out: a message not
 *     sent (to CCS or FCM) by then never is
 */
public record Outbound(
    String senderId,
    String messageId,
    String targetKey,
    String target,
    String json,
    Instant expiresAt,
    int attempt,
    CompletableFuture<SendResult> result) {

  private static final Pattern TIME_TO_LIVE = Pattern.compile("\"time_to_live\":(\\d+)");

  static Outbound accepted(
      String senderId,
      String messageId,
      String targetKey,
      String target,
      String json,
      Instant expiresAt) {
    return new Outbound(
        senderId, messageId, targetKey, target, json, expiresAt, 0, new CompletableFuture<>());
  }

  /** The next attempt after a retryable nack. */
  Outbound retry() {
    return new Outbound(
        senderId, messageId, targetKey, target, json, expiresAt, attempt + 1, result);
  }

  /** The same message, its outcome completing {@code waiting}: a caller's, paged back in. */
  Outbound resultingIn(CompletableFuture<SendResult> waiting) {
    return new Outbound(senderId, messageId, targetKey, target, json, expiresAt, attempt, waiting);
  }

  /** Whether its {@code time_to_live} has run out: it must not be sent any more. */
  public boolean expired(Instant now) {
    return now.isAfter(expiresAt);
  }

  /**
   * The JSON to write now. A message written more than a second late (an outage, a retry, a
   * restart) carries only what is left of its {@code time_to_live}, so that CCS does not keep it
   * longer than the application asked from acceptance (§4.4).
   */
  public String jsonAt(Instant now) {
    long left = Math.max(0, Duration.between(now, expiresAt).getSeconds());
    Matcher declared = TIME_TO_LIVE.matcher(json);
    if (declared.find()) {
      return left + 1 < Long.parseLong(declared.group(1))
          ? declared.replaceFirst("\"time_to_live\":" + left)
          : json;
    }
    return left + 1 < Downstream.MAX_TIME_TO_LIVE
        ? json.substring(0, json.lastIndexOf('}')) + ",\"time_to_live\":" + left + "}"
        : json;
  }

  @Override
  public String toString() {
    return "Outbound[" + messageId + " to " + target + ", attempt " + attempt + "]";
  }
}
