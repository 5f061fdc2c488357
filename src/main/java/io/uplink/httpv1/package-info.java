/**
 * Sends downstream messages through FCM's HTTP v1 API for the senders configured with {@code
 * downstream=http-v1}, behind the same {@link io.uplink.api.DownstreamSender}, outbox, retry
 * policy, events and counters as CCS: one {@link io.uplink.httpv1.HttpV1Channel} per sender with a
 * bound on requests in flight, OAuth 2.0 access tokens from the sender's service account ({@link
 * io.uplink.httpv1.AccessTokens}), and FCM's answers turned into the outbox's outcomes ({@link
 * io.uplink.httpv1.AnswerPolicy}). Upstream stays on the XMPP connections.
 */
package io.uplink.httpv1;
