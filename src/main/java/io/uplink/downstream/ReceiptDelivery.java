package io.uplink.downstream;

import io.uplink.api.DeliveryReceipt;
import io.uplink.api.UpstreamMessage;
import io.uplink.upstream.DedupRepository;
import io.uplink.upstream.ParkedReceiptDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One delivery attempt of a delivery receipt, in one transaction, as for an upstream message: the
 * de-duplication record of its {@code dr2:} id, the receipt time in the outbox and the {@link
 * DeliveryReceipt} observers commit together or not at all. The caller acks only after a method
 * returned. An operator's replay of a parked receipt takes the same path. Thread-safe.
 */
@ApplicationScoped
public class ReceiptDelivery implements ParkedReceiptDelivery {

  private static final Logger LOG = Logger.getLogger(ReceiptDelivery.class.getName());

  @Inject DedupRepository dedup;
  @Inject Outbox outbox;
  @Inject Event<DeliveryReceipt> receipts;

  /**
   * Delivers the receipt unless it was delivered before.
   *
   * @param asMessage the receipt as CCS sent it, under {@link #CATEGORY}: its de-duplication key,
   *     its dead letter, and in its data what the event tells
   * @return false for a copy CCS redelivered
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean deliver(UpstreamMessage asMessage) {
    return deliverHere(asMessage);
  }

  @Override
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean deliverHere(UpstreamMessage asMessage) {
    if (!dedup.recordIfNew(asMessage, Instant.now())) {
      return false;
    }
    DeliveryReceipt receipt = receiptOf(asMessage);
    outbox.receiptReceived(receipt.senderId(), receipt.originalMessageId());
    receipts.fire(receipt);
    return true;
  }

  private static DeliveryReceipt receiptOf(UpstreamMessage asMessage) {
    Map<String, String> data = asMessage.data();
    return new DeliveryReceipt(
        asMessage.senderId(),
        data.getOrDefault("original_message_id", ""),
        data.getOrDefault("device_registration_id", ""),
        data.getOrDefault("message_status", ""),
        parseMillis(data.get("message_sent_timestamp")));
  }

  private static Optional<Long> parseMillis(String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      LOG.fine("receipt timestamp is not a number: " + value);
      return Optional.empty();
    }
  }
}
