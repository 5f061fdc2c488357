package io.uplink.downstream;

import io.uplink.api.DeliveryReceipt;
import io.uplink.api.UpstreamMessage;
import io.uplink.upstream.DedupRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * One delivery attempt of a delivery receipt, in one transaction, as for an upstream message: the
 * de-duplication record of its {@code dr2:} id, the receipt time in the outbox and the {@link
 * DeliveryReceipt} observers commit together or not at all. The caller acks only after a method
 * returned. Thread-safe.
 */
@ApplicationScoped
public class ReceiptDelivery {

  @Inject DedupRepository dedup;
  @Inject Outbox outbox;
  @Inject Event<DeliveryReceipt> receipts;

  /**
   * Delivers the receipt unless it was delivered before.
   *
   * @param asMessage the receipt as CCS sent it: its de-duplication key and its dead letter
   * @return false for a copy CCS redelivered
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean deliver(UpstreamMessage asMessage, DeliveryReceipt receipt) {
    if (dedup.contains(asMessage)) {
      return false;
    }
    dedup.recordNow(asMessage, Instant.now());
    outbox.receiptReceived(receipt.senderId(), receipt.originalMessageId());
    receipts.fire(receipt);
    return true;
  }
}
