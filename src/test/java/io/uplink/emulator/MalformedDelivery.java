package io.uplink.emulator;

/**
 * A delivery whose stanza a test wrote by hand, malformed on purpose (a missing field, oversized
 * data, nesting thousands deep), that still names a device and a message id: CCS would expect it
 * acked like any other, so the {@link UpstreamLedger} tracks it and judges its ack. Immutable.
 *
 * @param xml the whole {@code <message>} stanza, sent as it is
 */
public record MalformedDelivery(String from, String messageId, String xml) implements Deliverable {}
