package io.uplink.ccs;

import io.uplink.api.UpstreamMessage;
import java.util.Set;

/**
 * The rules an upstream message must meet before it reaches the application: the hard stanza size
 * limit, the field lengths the gateway stores, the 4 KB {@code data} limit of CCS (ccs-protocol.md
 * §4.4) and, when configured, the application IDs allowed in {@code category} (the GCM advice to
 * verify the sending app). Immutable.
 *
 * @param maxStanzaBytes hard limit on the UTF-8 size of a stanza's JSON
 * @param allowedCategories application IDs accepted in {@code category}; empty accepts any
 */
public record UpstreamLimits(int maxStanzaBytes, Set<String> allowedCategories) {

  /** CCS's limit on an upstream {@code data} payload, keys and values together. */
  public static final int MAX_DATA_BYTES = 4096;

  /** Longest registration token stored for de-duplication. */
  public static final int MAX_FROM_LENGTH = 1024;

  /** Longest upstream {@code message_id} stored for de-duplication. */
  public static final int MAX_MESSAGE_ID_LENGTH = UpstreamMessage.MAX_MESSAGE_ID_LENGTH;

  /** Longest {@code category} (application ID) stored. */
  public static final int MAX_CATEGORY_LENGTH = 255;

  public UpstreamLimits {
    if (maxStanzaBytes < MAX_DATA_BYTES) {
      throw new IllegalArgumentException(
          "maxStanzaBytes must be at least " + MAX_DATA_BYTES + ": " + maxStanzaBytes);
    }
    allowedCategories = Set.copyOf(allowedCategories);
  }

  boolean acceptsCategory(String category) {
    return allowedCategories.isEmpty() || allowedCategories.contains(category);
  }
}
