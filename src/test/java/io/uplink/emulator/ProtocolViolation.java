package io.uplink.emulator;

import java.time.Instant;

/**
 * Something a client did that the CCS contract does not allow, whether or not real CCS would have
 * punished it (a {@code message} before binding, a NACK from the app server, an unknown {@code
 * message_type}, unparsable JSON, ...). A correct gateway produces none, so tests can assert that
 * this list stays empty. Immutable.
 */
public record ProtocolViolation(String connectionId, String description, Instant at) {}
