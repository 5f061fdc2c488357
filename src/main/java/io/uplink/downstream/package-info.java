/**
 * Downstream sending behind {@link io.uplink.api.DownstreamSender}: the JPA outbox that makes an
 * accepted message survive a restart, CCS flow-control bookkeeping, what to do with each ack, nack
 * and receipt, and the token events recorded with CCS's answers. Internal: applications use {@link
 * io.uplink.api} only.
 */
package io.uplink.downstream;
