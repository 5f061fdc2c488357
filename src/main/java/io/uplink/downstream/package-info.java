/**
 * Downstream sending: the send API, the JPA outbox that makes an accepted message survive a
 * restart, CCS flow control bookkeeping, and what to do with each ack, nack and receipt.
 *
 * <p><b>Public API for application teams:</b> {@link io.uplink.downstream.DownstreamSender} with
 * {@link io.uplink.ccs.Downstream} messages, the result {@link io.uplink.downstream.SendResult},
 * and the events {@link io.uplink.downstream.TokenInvalidated}, {@link
 * io.uplink.downstream.CanonicalTokenReceived} and {@link io.uplink.downstream.DeliveryReceipt}.
 */
package io.uplink.downstream;
