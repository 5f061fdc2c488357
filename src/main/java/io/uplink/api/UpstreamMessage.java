package io.uplink.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A message a device sent upstream, fired as a CDI event once per message: duplicates that CCS
 * redelivers are suppressed before observers see them (an operator's replay of a dead letter
 * delivers it again, as a new message). Observe all of them with {@code @Observes UpstreamMessage},
 * or those of one application with {@code @Observes @Category("com.example.app") UpstreamMessage}.
 * Synchronous observers run inside the delivery transaction. Immutable and safe to share between
 * threads.
 *
 * @param senderId the CCS sender ID (project) the message was sent to
 * @param from the registration token of the sending app instance; treat it as a secret
 * @param category the application ID (Android package, iOS bundle ID) of the sending app
 * @param messageId the id the device app chose; unique per device, not globally
 * @param data the payload's key/value pairs
 * @param timeToLive the upstream TTL, when CCS passed one on
 * @param receivedAt when the gateway read the message off the connection
 */
public record UpstreamMessage(
    String senderId,
    String from,
    String category,
    String messageId,
    Map<String, String> data,
    Optional<Duration> timeToLive,
    Instant receivedAt) {

  /** The longest {@code message_id} Uplink accepts, and records for de-duplication. */
  public static final int MAX_MESSAGE_ID_LENGTH = 256;

  public UpstreamMessage {
    data = Map.copyOf(data);
  }

  /**
   * Shows the token abbreviated and the device's own text escaped: neither a full token nor a
   * forged line reaches a log through this record.
   */
  @Override
  public String toString() {
    return "UpstreamMessage[senderId="
        + senderId
        + ", from="
        + RegistrationTokens.abbreviate(from)
        + ", category="
        + LogText.escape(category)
        + ", messageId="
        + LogText.escape(messageId)
        + ", data keys="
        + data.keySet()
        + "]";
  }
}
