package io.uplink.emulator;

/** Escapes text for XML character data and attribute values. Stateless. */
final class XmlEscaping {

  private XmlEscaping() {}

  /**
   * Escapes {@code &}, {@code <} and {@code >}: enough for character data, and what CCS clients
   * expect to see.
   */
  static String text(String text) {
    return escape(text, false);
  }

  /** Escapes {@code &}, {@code <}, {@code >}, {@code "} and {@code '} for attribute values. */
  static String attribute(String value) {
    return escape(value, true);
  }

  private static String escape(String text, boolean quotes) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> quotes ? "&quot;" : null;
            case '\'' -> quotes ? "&apos;" : null;
            default -> null;
          };
      if (replacement != null) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(replacement);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
