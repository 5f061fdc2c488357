package io.uplink.ccs;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@code data} object whose values the protocol documents as strings (ccs-protocol.md §3.6,
 * §3.8). Stateless.
 */
final class StringMaps {

  private StringMaps() {}

  /**
   * The object as a string map: empty for an absent object, no value when any value is not a
   * string.
   */
  static Optional<Map<String, String>> of(JsonObject object) {
    if (object == null) {
      return Optional.of(Map.of());
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
      if (!(entry.getValue() instanceof JsonString string)) {
        return Optional.empty();
      }
      map.put(entry.getKey(), string.getString());
    }
    return Optional.of(map);
  }
}
