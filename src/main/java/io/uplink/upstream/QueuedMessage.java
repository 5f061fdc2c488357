package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;

/**
 * An upstream message waiting in a delivery lane, with the {@link Acknowledger} of the connection
 * it came in on, which its ack must go back through. Immutable.
 */
record QueuedMessage(UpstreamMessage message, Acknowledger acknowledger) {}
