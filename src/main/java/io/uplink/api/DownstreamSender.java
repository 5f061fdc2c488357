package io.uplink.api;

import java.util.List;
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
   * @throws BacklogFullException when the sender already has {@code uplink.downstream.max-pending}
   *     messages pending
   */
  CompletionStage<SendResult> send(String senderId, Downstream message);

  /** The most messages one call of {@code sendEach} takes, as FCM's own batch limit. */
  int MAX_BATCH = 500;

  /**
   * Sends each message with the first configured sender, as the Firebase Admin SDK's {@code
   * sendEach}: see {@link #sendEach(String, List)}.
   */
  List<CompletionStage<SendResult>> sendEach(List<Downstream> messages);

  /**
   * Sends each message with the given sender. One transaction records every message accepted (the
   * caller's, when there is one), so a batch costs the outbox one commit instead of one per
   * message. A message the sender cannot take (a field HTTP v1 cannot carry, a {@code message_id}
   * this sender used before or that comes twice in the list) is refused by itself: its stage is
   * already complete with {@link SendResult.Outcome#REFUSED} and the reason, and the others are
   * accepted all the same. Each accepted message then has the guarantees of {@link #send}. Inside a
   * caller's transaction, a concurrent send that takes one of the batch's ids first fails that
   * transaction, as it would a single {@link #send}.
   *
   * @return one result per message, in the list's order
   * @throws IllegalArgumentException for a sender ID that is not configured, or more than {@link
   *     #MAX_BATCH} messages
   * @throws BacklogFullException when the batch would take the sender past {@code
   *     uplink.downstream.max-pending} messages pending; none of it is accepted
   */
  List<CompletionStage<SendResult>> sendEach(String senderId, List<Downstream> messages);

  /**
   * Sends the message to each registration token, as the Admin SDK's {@code sendEachForMulticast}:
   * {@link #sendEach(String, List)} with one copy per token, each copy with its own generated
   * {@code message_id}; the message's own target is not used.
   *
   * @return one result per token, in the list's order
   * @throws IllegalArgumentException for a sender ID that is not configured, more than {@link
   *     #MAX_BATCH} tokens, or a message that has a {@code message_id} of its own
   */
  List<CompletionStage<SendResult>> sendEachForMulticast(
      String senderId, Downstream message, List<String> tokens);
}
