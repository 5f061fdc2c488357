package io.uplink.api;

import java.util.concurrent.CompletionStage;

/**
 * Sends downstream messages to devices, topics and conditions. Inject it anywhere:
 *
 * <pre>{@code
 * @Inject DownstreamSender sender;
 * sender.send(Downstream.to(token).notification(Notification.builder().title("Hi").build()).build())
 *     .thenAccept(result -> ...);
 * }</pre>
 *
 * <p>A message is in the gateway's outbox before {@code send} returns, so once accepted it is never
 * lost: it is sent, sent again after a dropped or draining connection, retried after a retryable
 * nack and after a restart, until CCS acks it, refuses it for good, or its {@code time_to_live}
 * passes. A sender configured with {@code downstream=http-v1} sends through FCM's HTTP v1 API
 * instead of CCS, with the same guarantees. The returned stage completes with the {@link
 * SendResult}, or with {@link SendResult.Outcome#TIMED_OUT} when the gateway's send timeout passes
 * first (the message stays pending). Called inside a transaction (an {@link UpstreamMessage}
 * observer runs in the delivery transaction), the message joins it: it goes out only once that
 * transaction commits, and never if it rolls back, so a redelivered upstream message cannot send
 * its replies twice. Thread-safe.
 */
public interface DownstreamSender {

  /**
   * Sends with the first configured sender ID.
   *
   * @throws InvalidDownstreamException when the sender sends through HTTP v1 and the message has a
   *     field HTTP v1 cannot carry (a delivery receipt request, a badge that is not a number)
   */
  CompletionStage<SendResult> send(Downstream message);

  /**
   * Sends with the given sender ID.
   *
   * @throws IllegalArgumentException for a sender ID that is not configured
   * @throws InvalidDownstreamException when the sender sends through HTTP v1 and the message has a
   *     field HTTP v1 cannot carry
   * @throws jakarta.persistence.PersistenceException when the message cannot be accepted (for
   *     example a {@code message_id} this sender already used)
   */
  CompletionStage<SendResult> send(String senderId, Downstream message);
}
