package io.uplink.downstream;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One downstream message on its way: what to send, which attempt this is, and the result the
 * application waits on. Each retry is a new instance sharing the same result. Immutable apart from
 * the result, which completes once.
 *
 * @param targetKey where it goes, in full ({@code to} or {@code condition}); never logged
 * @param target where it goes, token abbreviated, for logs
 * @param expiresAt when its {@code time_to_live} (ccs-protocol.md §4.4) runs out: a message not
 *     written to CCS by then never is
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

  /** Whether its {@code time_to_live} has run out: it must not be written to CCS any more. */
  public boolean expired(Instant now) {
    return now.isAfter(expiresAt);
  }

  @Override
  public String toString() {
    return "Outbound[" + messageId + " to " + target + ", attempt " + attempt + "]";
  }
}
