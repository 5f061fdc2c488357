package io.uplink.emulator;

import java.util.Map;
import java.util.Objects;

/**
 * An upstream message as a device sends it through CCS to the app server (ccs-protocol.md §3.6).
 *
 * <p>The emulator adds nothing: {@code from} is the device's registration token, {@code category}
 * the app's package name, {@code messageId} the id the device app chose (unique per device only),
 * and {@code timeToLive} the optional upstream TTL in seconds ({@code null} leaves the field out).
 *
 * <p>Immutable and safe to share between threads.
 */
public record Upstream(
    String from, String category, String messageId, Map<String, String> data, Integer timeToLive)
    implements Deliverable {

  public Upstream {
    requireText(from, "from");
    requireText(category, "category");
    requireText(messageId, "messageId");
    data = Map.copyOf(Objects.requireNonNull(data, "data"));
    if (timeToLive != null && timeToLive < 0) {
      throw new IllegalArgumentException("timeToLive must not be negative: " + timeToLive);
    }
  }

  /** An upstream message without a TTL field. */
  public Upstream(String from, String category, String messageId, Map<String, String> data) {
    this(from, category, messageId, data, null);
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }
}
