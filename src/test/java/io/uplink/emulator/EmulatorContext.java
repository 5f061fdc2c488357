package io.uplink.emulator;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What every connection of one emulator shares: configuration, the upstream ledger, the recorder,
 * the JSON codec, the downstream responder and the timer. Immutable holder of thread-safe parts.
 *
 * @param senderKeys the configured sender IDs and their server keys
 * @param domain the service domain used in bound JIDs and as the default stream {@code from}
 * @param streamDomains the {@code to} values accepted in a client's stream header
 * @param downstream decides and writes the answers to downstream messages
 * @param maxPendingDownstream the pending window per connection (ccs-protocol.md §4.1)
 * @param maxUnackedUpstream how many upstream deliveries may await an ack per connection (§4.2)
 * @param closeTimeout how long to wait for the client's {@code </stream:stream>} after ours
 * @param drainingGrace how long after {@code CONNECTION_DRAINING} was written a downstream message
 *     on that connection is not yet a protocol violation (§4.5)
 * @param loginsRefused whether an outage refuses every login for now
 * @param sessionReplyDelay how long the answer to a session request is held back now
 */
record EmulatorContext(
    Map<String, String> senderKeys,
    String domain,
    Set<String> streamDomains,
    UpstreamLedger ledger,
    WireRecorder recorder,
    GcmJson json,
    DownstreamResponder downstream,
    int maxPendingDownstream,
    int maxUnackedUpstream,
    ScheduledExecutorService timer,
    Duration closeTimeout,
    Duration drainingGrace,
    BooleanSupplier loginsRefused,
    Supplier<Duration> sessionReplyDelay) {}
