package io.uplink.stats;

import java.time.Instant;

/**
 * One line of the dashboard's latest messages. The device token is already abbreviated; the full
 * token never gets here. Immutable.
 *
 * @param direction {@code upstream} or {@code downstream}
 * @param device the abbreviated registration token, or the topic or condition
 * @param category the sending app's category (upstream only, else null)
 * @param outcome what became of it: DELIVERED, DUPLICATE, DEAD_LETTERED, REJECTED, ACKED, NACKED,
 *     FAILED
 */
public record RecentMessage(
    Instant at,
    String direction,
    String senderId,
    String device,
    String category,
    String messageId,
    String outcome) {}
