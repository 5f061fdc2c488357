package io.uplink.httpv1;

import java.io.IOException;

/**
 * Google's token endpoint gave the service account no access token (the key deleted or the account
 * disabled, the endpoint unreachable): nothing can be sent until it does. The message keeps the
 * auth library's text on one line (the endpoint's status, URL and error such as {@code
 * invalid_grant}), which never holds the key.
 */
final class NoAccessTokenException extends RuntimeException {

  private static final int MAX_TEXT = 300;

  NoAccessTokenException(IOException cause) {
    super("no access token for the service account: " + oneLine(cause.getMessage()), cause);
  }

  private static String oneLine(String text) {
    String line = String.valueOf(text).strip().replaceAll("\\s+", " ");
    return line.length() <= MAX_TEXT ? line : line.substring(0, MAX_TEXT) + "…";
  }
}
