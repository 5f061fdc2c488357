/**
 * Upstream delivery: receive, de-duplicate, fire {@link io.uplink.api.UpstreamMessage} to the
 * application's observers in the delivery transaction, then ack. Internal: applications use {@link
 * io.uplink.api} only.
 */
package io.uplink.upstream;
