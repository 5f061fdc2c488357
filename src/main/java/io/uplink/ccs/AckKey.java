package io.uplink.ccs;

/**
 * What an upstream ack names (ccs-protocol.md §3.7): the device that sent the message ({@code to}
 * of the ack) and the message's id. Immutable.
 */
public record AckKey(String to, String messageId) {}
