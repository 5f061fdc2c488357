package io.uplink.api;

/**
 * Registration tokens identify a device and let anyone holding the server key message it, so logs
 * and exceptions show them only abbreviated. Stateless.
 */
public final class RegistrationTokens {

  private static final int VISIBLE = 8;

  private RegistrationTokens() {}

  /** The first characters of a token and its length, e.g. {@code dXk3Yz1q…(163)}. */
  public static String abbreviate(String token) {
    if (token == null) {
      return "null";
    }
    if (token.length() <= VISIBLE) {
      return token;
    }
    return token.substring(0, VISIBLE) + "…(" + token.length() + ")";
  }
}
