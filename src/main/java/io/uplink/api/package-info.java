/**
 * Everything an application uses of Uplink, and nothing else: compile against this package alone
 * (the {@code uplink-<version>-api.jar}); the rest of the WAR is internal and may change.
 *
 * <h2>Receiving upstream messages</h2>
 *
 * Every new message a device sends upstream is fired once as an {@link
 * io.uplink.api.UpstreamMessage} CDI event; copies CCS redelivers are dropped first. Narrow it to
 * one application ID with the {@link io.uplink.api.Category} qualifier:
 *
 * <pre>{@code
 * void on(@Observes @Category("com.example.app") UpstreamMessage message) { ... }
 * }</pre>
 *
 * <p>Three kinds of observer, three guarantees:
 *
 * <ul>
 *   <li>{@code @Observes} (synchronous) runs inside the delivery transaction, with the
 *       de-duplication record. Its database work (the persistence unit {@code uplink}, or any
 *       XA-capable resource) is exactly once: an exception rolls everything back and leaves the
 *       message unacked, so CCS redelivers it; after {@code uplink.upstream.max-attempts} failed
 *       attempts the message is dead-lettered and acked. Its other side effects may repeat, since a
 *       retried batch runs it again.
 *   <li>{@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} runs once the delivery
 *       transaction committed, once per committed delivery (unless the process dies between the
 *       commit and the observer), never for an attempt that rolled back. Use it for side effects
 *       outside the database.
 *   <li>{@code @ObservesAsync} is notified after the commit too, on another thread, at most once: a
 *       crash between the commit and the notification loses it.
 * </ul>
 *
 * <h2>Sending downstream messages</h2>
 *
 * Inject {@link io.uplink.api.DownstreamSender} and send a {@link io.uplink.api.Downstream} built
 * with {@link io.uplink.api.Downstream#to} or {@link io.uplink.api.Downstream#toCondition} (with a
 * {@link io.uplink.api.Notification} and data); the stage completes with a {@link
 * io.uplink.api.SendResult}. What CCS would refuse is refused at once with an {@link
 * io.uplink.api.InvalidDownstreamException}. An accepted message is in the outbox and survives
 * outages and restarts; sent inside a transaction, it goes out only if that transaction commits.
 *
 * <h2>Events about what was sent</h2>
 *
 * <ul>
 *   <li>{@link io.uplink.api.TokenInvalidated}: CCS says a token is no longer valid; stop using it.
 *   <li>{@link io.uplink.api.CanonicalTokenReceived}: CCS names the token to use instead.
 *   <li>{@link io.uplink.api.DeliveryReceipt}: a message sent with delivery receipts reached the
 *       device.
 * </ul>
 *
 * These reach synchronous observers at least once, in a transaction of their own, retried and
 * finally dead-lettered like upstream messages.
 *
 * <h2>Secrets in logs</h2>
 *
 * Registration tokens let anyone with the server key message a device: log them through {@link
 * io.uplink.api.RegistrationTokens#abbreviate}, and text a device sent through {@link
 * io.uplink.api.LogText#escape}, as Uplink does.
 */
package io.uplink.api;
