package io.uplink.config;

/**
 * A value that must never be logged in full, such as a server key or a trust-store password. {@link
 * #toString()} shows only a short prefix and the length, enough to tell two keys apart in a log.
 * Immutable.
 */
public record Secret(String value) {

  public Secret {
    if (value == null) {
      throw new IllegalArgumentException("secret value is null");
    }
  }

  /** The value for the one place that needs it (SASL, the key store); never for logs. */
  public char[] toCharArray() {
    return value.toCharArray();
  }

  @Override
  public String toString() {
    String prefix = value.length() >= 16 ? value.substring(0, 4) : "";
    return prefix + "…(" + value.length() + " chars)";
  }
}
