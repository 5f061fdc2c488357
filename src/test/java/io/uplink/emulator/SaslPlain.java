package io.uplink.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The three fields of a SASL PLAIN initial response (RFC 4616): {@code authzid NUL authcid NUL
 * passwd}. Immutable; {@link #toString()} never shows the password.
 */
record SaslPlain(String authorizationId, String authenticationId, String password) {

  /**
   * Decodes the base64 text of an {@code <auth mechanism="PLAIN">} element.
   *
   * @throws IllegalArgumentException if it is not base64 or does not have exactly three fields
   */
  static SaslPlain decode(String base64) {
    byte[] bytes = Base64.getMimeDecoder().decode(base64.strip());
    String[] fields = new String(bytes, StandardCharsets.UTF_8).split("\0", -1);
    if (fields.length != 3) {
      throw new IllegalArgumentException(
          "PLAIN response has " + fields.length + " fields, expected 3");
    }
    return new SaslPlain(fields[0], fields[1], fields[2]);
  }

  @Override
  public String toString() {
    return "SaslPlain[authorizationId="
        + authorizationId
        + ", authenticationId="
        + authenticationId
        + "]";
  }
}
