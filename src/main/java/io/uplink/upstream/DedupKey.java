package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;

/**
 * What makes an upstream message unique: its sender ID, device and {@code message_id}, the key of
 * its de-duplication record. Immutable.
 */
record DedupKey(String senderId, String device, String messageId) {

  static DedupKey of(UpstreamMessage message) {
    return new DedupKey(message.senderId(), message.from(), message.messageId());
  }
}
