package io.uplink.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where and how the gateway connects to CCS (ccs-protocol.md §1), for every configured sender.
 * Immutable.
 *
 * @param domain the XMPP domain sent in the stream header and used in the SASL username
 * @param trustStore a PKCS12 trust store; empty means the JVM's default trust
 * @param drainTimeout how long a retiring connection, or a stopping gateway, waits for the answers
 *     and acks it has in flight before it closes its streams
 * @param upstreamStallTimeout how long a stream that holds a full upstream window of messages the
 *     gateway left unacked may stay silent before it is replaced, so that CCS, which sends nothing
 *     more to it, delivers them again on another
 */
public record CcsSettings(
    String host,
    int port,
    String domain,
    Optional<Path> trustStore,
    Optional<Secret> trustStorePassword,
    List<SenderSettings> senders,
    Duration connectTimeout,
    Duration pingInterval,
    Duration backoffInitial,
    Duration backoffMax,
    Duration drainTimeout,
    Duration upstreamStallTimeout) {

  public CcsSettings {
    senders = List.copyOf(senders);
  }
}
