package io.uplink.api;

/**
 * Makes text that a device or CCS chose (a category, a message id) safe to put in a log line: a
 * line break or another control character in it could otherwise forge log lines or hide the rest.
 * Stateless.
 */
public final class LogText {

  private LogText() {}

  /** The text with every control character written as a {@code \\uXXXX} escape. */
  public static String escape(String text) {
    if (text == null || text.chars().noneMatch(Character::isISOControl)) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    text.chars()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                escaped.append(String.format("\\u%04x", c));
              } else {
                escaped.append((char) c);
              }
            });
    return escaped.toString();
  }
}
