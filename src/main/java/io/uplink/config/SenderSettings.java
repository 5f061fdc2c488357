package io.uplink.config;

import java.util.Optional;

/**
 * One sender ID the gateway serves: its CCS credentials, how many XMPP connections to keep open for
 * it, and, when its downstream messages go through FCM's HTTP v1 API instead of CCS, the Firebase
 * project and service account for that. Immutable; {@link #toString()} masks the secrets.
 *
 * @param name the configuration name: {@code default} for the keys {@code uplink.ccs.*}, otherwise
 *     the name listed in {@code uplink.ccs.senders}
 * @param serverKey the CCS server key; empty only for a send-only sender without connections
 * @param connections XMPP connections for upstream (and CCS downstream); 0 only for a send-only
 *     HTTP v1 sender
 * @param httpV1 present when downstream messages are sent through HTTP v1
 */
public record SenderSettings(
    String name,
    String senderId,
    Optional<Secret> serverKey,
    int connections,
    Optional<HttpV1Account> httpV1) {

  /** Longest sender ID accepted, and stored with each message. */
  public static final int MAX_SENDER_ID_LENGTH = 64;

  /** A sender that receives and sends over CCS, as before HTTP v1 existed. */
  public static SenderSettings ccs(String name, String senderId, Secret key, int connections) {
    return new SenderSettings(name, senderId, Optional.of(key), connections, Optional.empty());
  }

  /** Whether downstream messages go through FCM's HTTP v1 API rather than the XMPP connections. */
  public boolean sendsOverHttpV1() {
    return httpV1.isPresent();
  }

  /** The value of {@code downstream} this sender has: {@code ccs} or {@code http-v1}. */
  public String downstreamTransport() {
    return sendsOverHttpV1() ? "http-v1" : "ccs";
  }
}
