package io.uplink.api;

/** The string measures the contract's validation needs. Stateless. */
final class Text {

  private Text() {}

  static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** The length of the text in UTF-8, as CCS counts payload bytes, without encoding it. */
  static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
