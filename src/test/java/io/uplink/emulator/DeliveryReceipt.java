package io.uplink.emulator;

/**
 * A delivery receipt (ccs-protocol.md §3.8) that the emulator sends for an ACKed downstream message
 * that asked for one: {@code message_type} {@code receipt}, {@code from} {@code
 * gcm.googleapis.com}, {@code message_id} {@code dr2:<original>}. The app server acks it like an
 * upstream message (§3.7), on the connection it arrived on; until then it is redelivered.
 * Immutable.
 *
 * @param category the package name of the receiving app
 * @param originalMessageId the {@code message_id} of the downstream message
 * @param deviceRegistrationId the {@code to} of the downstream message
 * @param sentTimestampMillis when the "device" got it, epoch milliseconds
 */
public record DeliveryReceipt(
    String category,
    String originalMessageId,
    String deviceRegistrationId,
    long sentTimestampMillis)
    implements Deliverable {

  /** The {@code from} of every receipt, and the {@code to} of its ack. */
  public static final String FROM = "gcm.googleapis.com";

  /** The prefix CCS puts before the original {@code message_id}. */
  public static final String ID_PREFIX = "dr2:";

  @Override
  public String from() {
    return FROM;
  }

  /** {@code dr2:} followed by the original {@code message_id}: what the ack must carry. */
  @Override
  public String messageId() {
    return ID_PREFIX + originalMessageId;
  }
}
