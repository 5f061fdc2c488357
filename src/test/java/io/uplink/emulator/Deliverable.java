package io.uplink.emulator;

/**
 * What the {@link UpstreamLedger} delivers to the app server and expects an ack for: an upstream
 * message, a delivery receipt, or a test's malformed stanza that names a device and a message id.
 * The ack names {@link #from()} in {@code to} and {@link #messageId()} (ccs-protocol.md §3.7).
 * Implementations are immutable.
 */
sealed interface Deliverable permits Upstream, DeliveryReceipt, MalformedDelivery {

  String from();

  String messageId();
}
