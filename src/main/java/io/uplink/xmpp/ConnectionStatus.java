package io.uplink.xmpp;

import java.time.Instant;
import java.util.Optional;

/**
 * What one connection is doing, read at one moment, for monitoring (JMX, metrics, the status API
 * and the dashboard). Immutable.
 *
 * @param state where the connection is in its life
 * @param connectedSince when the current stream authenticated, while connected
 * @param drainingStreams older streams that CCS is draining, still read and acked
 * @param pendingDownstream downstream messages on the current stream that CCS has not answered
 * @param failedAttempts consecutive failed attempts before authentication (the backoff step)
 * @param lastActivity when a stanza last went in or out on any of its streams
 * @param upstreamReceived upstream messages read on its streams, rejected ones included
 * @param downstreamSent downstream stanzas written on its streams, resends included
 */
public record ConnectionStatus(
    ConnectionState state,
    Optional<Instant> connectedSince,
    int drainingStreams,
    int pendingDownstream,
    int failedAttempts,
    Optional<Instant> lastActivity,
    long upstreamReceived,
    long downstreamSent) {}
