package io.uplink.emulator;

import java.time.Instant;

/**
 * A SASL attempt the emulator refused. The timestamps let tests check that a client backs off
 * between failed attempts (ccs-protocol.md §1.6). The password is never recorded. Immutable.
 *
 * @param authenticationId the SASL authcid the client sent, or {@code null} if it could not be
 *     decoded
 * @param reason why it was refused, for example {@code unknown sender} or {@code wrong key}
 */
public record AuthFailure(
    String connectionId, String authenticationId, String reason, Instant at) {}
