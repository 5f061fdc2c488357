/**
 * Upstream delivery: receive, de-duplicate, hand to the application as a CDI event, then ack.
 *
 * <p><b>Public API for application teams:</b> {@link io.uplink.upstream.UpstreamMessage} (the
 * event) and {@link io.uplink.upstream.Category} (a qualifier to observe one application ID). An
 * application observes with {@code void on(@Observes UpstreamMessage m)}; the observer runs in the
 * delivery transaction, so an exception rolls back everything it wrote and leaves the message
 * unacked for CCS to redeliver.
 */
package io.uplink.upstream;
