package io.uplink.downstream;

import java.util.concurrent.CompletableFuture;

/**
 * One downstream message on its way: what to send, which attempt this is, and the result the
 * application waits on. Each retry is a new instance sharing the same result. Immutable apart from
 * the result, which completes once.
 *
 * @param targetKey where it goes, in full ({@code to} or {@code condition}); never logged
 * @param target where it goes, token abbreviated, for logs
 */
public record Outbound(
    String senderId,
    String messageId,
    String targetKey,
    String target,
    String json,
    int attempt,
    CompletableFuture<SendResult> result) {

  static Outbound accepted(
      String senderId, String messageId, String targetKey, String target, String json) {
    return new Outbound(senderId, messageId, targetKey, target, json, 0, new CompletableFuture<>());
  }

  /** The next attempt after a retryable nack. */
  Outbound retry() {
    return new Outbound(senderId, messageId, targetKey, target, json, attempt + 1, result);
  }

  @Override
  public String toString() {
    return "Outbound[" + messageId + " to " + target + ", attempt " + attempt + "]";
  }
}
