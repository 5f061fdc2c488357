package io.uplink.api;

/**
 * CCS acked a message with a canonical {@code registration_id} (ccs-protocol.md §3.2): the
 * application should replace {@code oldToken} with {@code canonicalToken}. Immutable.
 */
public record CanonicalTokenReceived(String senderId, String oldToken, String canonicalToken) {

  @Override
  public String toString() {
    return "CanonicalTokenReceived["
        + RegistrationTokens.abbreviate(oldToken)
        + " -> "
        + RegistrationTokens.abbreviate(canonicalToken)
        + "]";
  }
}
