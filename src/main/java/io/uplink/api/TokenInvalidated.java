package io.uplink.api;

/**
 * CCS said a registration token is invalid or no longer registered ({@code BAD_REGISTRATION},
 * {@code DEVICE_UNREGISTERED}, ccs-protocol.md §3.4): the application should stop using it. Observe
 * with {@code @Observes TokenInvalidated}. Immutable.
 */
public record TokenInvalidated(String senderId, String token, String error, String messageId) {

  @Override
  public String toString() {
    return "TokenInvalidated[" + RegistrationTokens.abbreviate(token) + ", " + error + "]";
  }
}
