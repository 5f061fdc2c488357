package io.uplink.config;

/**
 * One CCS sender ID the gateway serves: its credentials and how many connections to keep open for
 * it. Immutable; {@link #toString()} masks the key.
 *
 * @param name the configuration name: {@code default} for the keys {@code uplink.ccs.*}, otherwise
 *     the name listed in {@code uplink.ccs.senders}
 */
public record SenderSettings(String name, String senderId, Secret serverKey, int connections) {

  /** Longest sender ID accepted, and stored with each message. */
  public static final int MAX_SENDER_ID_LENGTH = 64;
}
