package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;
import io.uplink.ccs.UpstreamLimits;
import io.uplink.config.SenderSettings;
import io.uplink.schema.KeyDigest;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * What identifies one upstream message wherever Uplink stores it: the sender ID it came to, the
 * device that sent it, and the device's {@code message_id} (unique per device, not globally). The
 * de-duplication record, the failure count and the dead letter embed it, so its three columns are
 * declared once. Immutable.
 *
 * @param senderId the sender ID (project number) the message came to
 * @param device the registration token of the device that sent it
 * @param messageId the device's message id
 */
@Embeddable
record UpstreamKey(
    @Column(name = "sender_id", nullable = false, length = SenderSettings.MAX_SENDER_ID_LENGTH)
        String senderId,
    @Column(name = "device", nullable = false, length = UpstreamLimits.MAX_FROM_LENGTH)
        String device,
    @Column(name = "message_id", nullable = false, length = UpstreamLimits.MAX_MESSAGE_ID_LENGTH)
        String messageId) {

  static UpstreamKey of(UpstreamMessage message) {
    return new UpstreamKey(message.senderId(), message.from(), message.messageId());
  }

  /** The de-duplication table's unique key for this message ({@link KeyDigest}). */
  byte[] digest() {
    return KeyDigest.of(senderId, device, messageId);
  }
}
