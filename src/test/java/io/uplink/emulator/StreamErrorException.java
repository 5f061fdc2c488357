package io.uplink.emulator;

/**
 * Thrown inside a connection's reader when the client broke the stream contract; the connection
 * answers with {@code <stream:error>} carrying {@link #condition()} (an RFC 6120 §4.9.3 condition
 * such as {@code not-authorized} or {@code restricted-xml}) and closes.
 */
final class StreamErrorException extends Exception {

  private final String condition;

  StreamErrorException(String condition, String message) {
    super(message);
    this.condition = condition;
  }

  String condition() {
    return condition;
  }
}
