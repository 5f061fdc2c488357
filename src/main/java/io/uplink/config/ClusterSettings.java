package io.uplink.config;

import java.time.Duration;

/**
 * Whether this instance shares its database, and its senders' connections, with other instances.
 * Clustered, {@code uplink.ccs.connections} counts the connections of a sender over all instances,
 * and the instances divide them with leases in the database. Immutable.
 *
 * @param enabled false for a single instance, which opens every connection itself
 * @param leaseDuration a connection lease, or an instance's heartbeat, that was not renewed for
 *     this long is taken to be dead: another instance opens the connection and sends what the dead
 *     one left in the outbox
 * @param renewInterval how often leases are renewed and the connections rebalanced
 */
public record ClusterSettings(boolean enabled, Duration leaseDuration, Duration renewInterval) {}
