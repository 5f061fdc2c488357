package io.uplink.api;

import java.util.Optional;

/**
 * A device confirmed it received a downstream message that asked for a receipt (ccs-protocol.md
 * §3.8). Fired once per receipt CCS sends; correlate with {@code originalMessageId}. Immutable.
 *
 * @param sentAtMillis {@code message_sent_timestamp}, when CCS passed it (undocumented, observed)
 */
public record DeliveryReceipt(
    String senderId,
    String originalMessageId,
    String token,
    String status,
    Optional<Long> sentAtMillis) {

  @Override
  public String toString() {
    return "DeliveryReceipt["
        + originalMessageId
        + " to "
        + RegistrationTokens.abbreviate(token)
        + ", "
        + status
        + "]";
  }
}
