package io.uplink.ccs;

import jakarta.json.Json;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.Optional;

/**
 * Looks at JSON without building it: how deeply it nests, and the {@code from} and {@code
 * message_id} at its top level. Both walk the text iteratively, so hostile nesting that would
 * overflow the stack of a binding (thousands of {@code [}) costs only a scan. Stateless.
 */
final class JsonNesting {

  private JsonNesting() {}

  /** The deepest nesting of objects and arrays, brackets inside strings not counted. */
  static int depth(String json) {
    int depth = 0;
    int deepest = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        deepest = Math.max(deepest, ++depth);
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    return deepest;
  }

  /**
   * The ack key of a message whose top level names {@code from} and {@code message_id} as strings
   * and no {@code message_type}, read as far as the parser gets; empty otherwise.
   */
  static Optional<AckKey> topLevelAckKey(String json) {
    String from = null;
    String messageId = null;
    try (JsonParser parser = Json.createParser(new StringReader(json))) {
      int depth = 0;
      String key = null;
      while (parser.hasNext()) {
        JsonParser.Event event = parser.next();
        switch (event) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case KEY_NAME -> key = depth == 1 ? parser.getString() : null;
          case VALUE_STRING -> {
            if ("from".equals(key)) {
              from = parser.getString();
            } else if ("message_id".equals(key)) {
              messageId = parser.getString();
            } else if ("message_type".equals(key)) {
              return Optional.empty();
            }
          }
          default -> {}
        }
        if (event != JsonParser.Event.KEY_NAME) {
          key = null;
        }
      }
    } catch (RuntimeException e) {
      // Read as far as it is well-formed and not too deep for the parser (Parsson stops at 1,000
      // levels with a plain RuntimeException): what was found so far still counts.
    }
    return isBlank(from) || isBlank(messageId)
        ? Optional.empty()
        : Optional.of(new AckKey(from, messageId));
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
