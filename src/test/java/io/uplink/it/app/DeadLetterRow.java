package io.uplink.it.app;

/** One dead letter as the tests see it. */
public record DeadLetterRow(String device, String messageId, int attempts, String lastError) {}
