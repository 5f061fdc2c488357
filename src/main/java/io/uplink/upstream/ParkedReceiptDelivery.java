package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;

/**
 * Delivers a delivery receipt that was parked in the dead-letter table as the receipt it is, so
 * that an operator's replay fires a {@link io.uplink.api.DeliveryReceipt} and records the receipt
 * time, not an {@link UpstreamMessage}. Receipts are the downstream side's business; this interface
 * lets the dead-letter replay reach them without depending on that side.
 */
public interface ParkedReceiptDelivery {

  /**
   * The category under which a receipt is de-duplicated and parked. No application's category can
   * be it: Android package names and Apple bundle ids hold a dot.
   */
  String CATEGORY = "receipt";

  /**
   * Delivers the parked receipt in the caller's transaction unless it was delivered before.
   *
   * @param asMessage the receipt as it was parked
   * @return false when it was delivered before
   * @throws RuntimeException when an observer failed; the caller's transaction is to roll back
   */
  boolean deliverHere(UpstreamMessage asMessage);
}
