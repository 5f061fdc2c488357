package io.uplink.emulator;

import jakarta.json.JsonObject;

/**
 * A downstream message that passed the emulator's built-in rules, handed to a {@link
 * DownstreamPolicy} to decide the answer. Immutable.
 *
 * @param target the {@code to} value, or the {@code condition} when there is no {@code to}
 * @param json the whole parsed payload, for policies that look at other fields
 */
public record Downstream(
    String connectionId, String senderId, String messageId, String target, JsonObject json) {}
