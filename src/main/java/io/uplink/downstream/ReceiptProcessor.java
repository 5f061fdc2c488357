package io.uplink.downstream;

import io.uplink.api.LogText;
import io.uplink.api.UpstreamMessage;
import io.uplink.ccs.AckKey;
import io.uplink.ccs.Inbound;
import io.uplink.config.UpstreamSettings;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Total;
import io.uplink.upstream.Acknowledger;
import io.uplink.upstream.FailureLedger;
import io.uplink.upstream.ParkedReceiptDelivery;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes delivery receipts (ccs-protocol.md §3.8) through the same promise as upstream messages: off
 * the reader thread, {@link ReceiptDelivery} commits the record and runs the observers, and only
 * then is the receipt acked on the connection it came in on. A failed attempt leaves it unacked, so
 * CCS redelivers it; after {@code uplink.upstream.max-attempts} failed attempts it is parked in the
 * dead-letter table and acked; a copy of a receipt already handled is acked and not fired again.
 * Thread-safe.
 */
@ApplicationScoped
public class ReceiptProcessor {

  private static final Logger LOG = Logger.getLogger(ReceiptProcessor.class.getName());

  @Inject ReceiptDelivery delivery;
  @Inject FailureLedger failures;
  @Inject UpstreamSettings settings;
  @Inject GatewayCounters counters;

  @Resource ManagedExecutorService executor;

  /** Queues the receipt for delivery; returns at once. */
  public void submit(String senderId, Inbound.Receipt receipt, Acknowledger acknowledger) {
    counters.count(Total.DOWNSTREAM_RECEIPTS, senderId);
    executor.execute(() -> deliver(senderId, receipt, acknowledger));
  }

  private void deliver(String senderId, Inbound.Receipt receipt, Acknowledger acknowledger) {
    UpstreamMessage asMessage =
        new UpstreamMessage(
            senderId,
            receipt.from(),
            ParkedReceiptDelivery.CATEGORY,
            receipt.messageId(),
            receipt.data(),
            Optional.empty(),
            Instant.now());
    AckKey key = new AckKey(receipt.from(), receipt.messageId());
    if (!receipt.data().containsKey("original_message_id")) {
      LOG.warning(
          "Receipt "
              + LogText.escape(receipt.messageId())
              + " names no original_message_id; acked");
      acknowledger.ack(key);
      return;
    }
    try {
      delivery.deliver(asMessage);
      acknowledger.ack(key);
    } catch (RuntimeException e) {
      recordFailure(asMessage, e, key, acknowledger);
    }
  }

  private void recordFailure(
      UpstreamMessage asMessage, RuntimeException e, AckKey key, Acknowledger acknowledger) {
    try {
      if (failures.recordFailure(asMessage, e, settings.maxAttempts())) {
        LOG.warning(
            "Dead-lettered receipt "
                + LogText.escape(asMessage.messageId())
                + "; last failure: "
                + e);
        acknowledger.ack(key);
      } else {
        LOG.log(
            Level.WARNING,
            "Receipt "
                + LogText.escape(asMessage.messageId())
                + " failed; left unacked for CCS to redeliver",
            e);
        acknowledger.leftUnacked(key);
      }
    } catch (RuntimeException ledger) {
      LOG.log(
          Level.WARNING,
          "Could not record the failed receipt " + LogText.escape(asMessage.messageId()),
          ledger);
      acknowledger.leftUnacked(key);
    }
  }
}
