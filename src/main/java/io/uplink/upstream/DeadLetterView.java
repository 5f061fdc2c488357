package io.uplink.upstream;

import java.time.Instant;
import java.util.Map;

/**
 * A dead-lettered upstream message as the admin API shows it to an operator: what was sent, how
 * often delivering it failed and why, with the device's registration token abbreviated. Immutable.
 *
 * @param from the sending device's registration token, abbreviated
 */
public record DeadLetterView(
    long id,
    String senderId,
    String from,
    String messageId,
    String category,
    Map<String, String> data,
    int attempts,
    String lastError,
    Instant parkedAt) {}
