package io.uplink.downstream;

import io.uplink.api.CanonicalTokenReceived;
import io.uplink.api.Downstream;
import io.uplink.api.TokenInvalidated;
import io.uplink.config.SenderSettings;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;

/**
 * A {@link TokenInvalidated} or {@link CanonicalTokenReceived} event not yet handled by the
 * application: written in the transaction that records CCS's answer in the outbox, and deleted in
 * the transaction in which the event's observers succeed, so the event reaches them at least once
 * across a crash. An event whose observers failed {@code uplink.upstream.max-attempts} times stays
 * here as a dead letter ({@code dead} true). Mutable JPA entity; not thread-safe.
 */
@Entity
@Table(
    name = "uplink_token_event",
    indexes = @Index(name = "ix_token_event_due", columnList = "dead, next_attempt_at"))
public class TokenEventRecord {

  private static final int MAX_ERROR_LENGTH = 2000;
  private static final int MAX_CODE_LENGTH = 64;

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "uplink_token_event_seq")
  @SequenceGenerator(name = "uplink_token_event_seq", allocationSize = 20)
  private Long id;

  @Column(name = "sender_id", nullable = false, length = SenderSettings.MAX_SENDER_ID_LENGTH)
  private String senderId;

  /** The token CCS refused, or the one it replaced with {@link #canonicalToken}. */
  @Column(name = "token", nullable = false, length = Downstream.MAX_TARGET_LENGTH)
  private String token;

  /** Null for an invalidated token. */
  @Column(name = "canonical_token", length = Downstream.MAX_TARGET_LENGTH)
  private String canonicalToken;

  /** The nack's error code; null for a canonical token. */
  @Column(name = "error", length = MAX_CODE_LENGTH)
  private String error;

  @Column(name = "message_id", nullable = false, length = Downstream.MAX_MESSAGE_ID_LENGTH)
  private String messageId;

  @Column(name = "attempts", nullable = false)
  private int attempts;

  @Column(name = "last_failure", length = MAX_ERROR_LENGTH)
  private String lastFailure;

  @Column(name = "dead", nullable = false)
  private boolean dead;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "next_attempt_at", nullable = false)
  private Instant nextAttemptAt;

  protected TokenEventRecord() {}

  private TokenEventRecord(
      String senderId, String token, String canonicalToken, String error, String messageId) {
    this.senderId = senderId;
    this.token = token;
    this.canonicalToken = canonicalToken;
    this.error = error == null ? null : cut(error, MAX_CODE_LENGTH);
    this.messageId = messageId;
  }

  static TokenEventRecord invalidated(TokenInvalidated event) {
    return new TokenEventRecord(
        event.senderId(), event.token(), null, event.error(), event.messageId());
  }

  static TokenEventRecord canonical(CanonicalTokenReceived event, String messageId) {
    return new TokenEventRecord(
        event.senderId(), event.oldToken(), event.canonicalToken(), null, messageId);
  }

  /**
   * A new, unrecorded copy of this event: a transaction that failed to record an event leaves it
   * with an id of a sequence value, which the next attempt must not reuse.
   */
  TokenEventRecord unrecordedCopy() {
    return new TokenEventRecord(senderId, token, canonicalToken, error, messageId);
  }

  /** Stamps the event with the moment it is recorded, in the database's time; it is due at once. */
  void recordedAt(Instant now) {
    createdAt = now;
    nextAttemptAt = now;
  }

  Long id() {
    return id;
  }

  boolean isDead() {
    return dead;
  }

  /** The event to fire. */
  Object event() {
    return canonicalToken == null
        ? new TokenInvalidated(senderId, token, error, messageId)
        : new CanonicalTokenReceived(senderId, token, canonicalToken);
  }

  /**
   * Counts a failed attempt and sets when the next is due; dead-letters the event once {@code
   * maxAttempts} attempts failed.
   *
   * @param retryAfter the wait after the given number of failed attempts
   * @return how many attempts have failed now
   */
  int failed(String failure, IntFunction<Duration> retryAfter, int maxAttempts, Instant now) {
    attempts++;
    lastFailure = cut(failure, MAX_ERROR_LENGTH);
    nextAttemptAt = now.plus(retryAfter.apply(attempts));
    dead = attempts >= maxAttempts;
    return attempts;
  }

  private static String cut(String text, int length) {
    return text.length() > length ? text.substring(0, length) : text;
  }
}
