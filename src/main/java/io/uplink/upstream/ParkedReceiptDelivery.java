package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;

/**
 * Delivers a delivery receipt that was parked in the dead-letter table as the receipt it is, so
 * that an operator's replay fires a {@link io.uplink.api.DeliveryReceipt} and records the receipt
 * time, not an {@link UpstreamMessage}. Receipts are the downstream side's business; this interface
 * lets the dead-letter replay reach them without depending on that side.
 */
public interface ParkedReceiptDelivery {

  /** The category under which a receipt is de-duplicated and parked. */
  String CATEGORY = "receipt";

  /**
   * Whether a parked message is a receipt: its category and its {@code dr2:} id (ccs-protocol.md
   * §3.8). No application's category is {@value #CATEGORY} (Android package names and Apple bundle
   * ids hold a dot), and a device would have to choose such an id as well.
   */
  static boolean isReceipt(UpstreamMessage parked) {
    return CATEGORY.equals(parked.category()) && parked.messageId().startsWith("dr2:");
  }

  /**
   * Delivers the parked receipt in the caller's transaction unless it was delivered before.
   *
   * @param asMessage the receipt as it was parked
   * @return false when it was delivered before
   * @throws RuntimeException when an observer failed; the caller's transaction is to roll back
   */
  boolean deliverHere(UpstreamMessage asMessage);
}
