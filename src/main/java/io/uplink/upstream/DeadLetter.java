package io.uplink.upstream;

import io.uplink.api.RegistrationTokens;
import io.uplink.api.UpstreamMessage;
import io.uplink.ccs.UpstreamLimits;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An upstream message whose observers kept failing: it is parked here, whole, and acked, so CCS
 * stops redelivering it and an operator can inspect or replay it. Mutable JPA entity; not
 * thread-safe.
 */
@Entity
@Table(name = "uplink_dead_letter")
public class DeadLetter {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "uplink_dead_letter_seq")
  @SequenceGenerator(name = "uplink_dead_letter_seq", allocationSize = 20)
  private Long id;

  @Embedded private UpstreamKey key;

  @Column(name = "category", nullable = false, length = UpstreamLimits.MAX_CATEGORY_LENGTH)
  private String category;

  /**
   * Unbounded text on every database (text on PostgreSQL; a {@code @Lob} would be an oid there).
   */
  @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
  @Column(name = "data_json", nullable = false)
  private String dataJson;

  @Column(name = "attempts", nullable = false)
  private int attempts;

  @Column(name = "last_error", length = 2000)
  private String lastError;

  @Column(name = "parked_at", nullable = false)
  private Instant parkedAt;

  protected DeadLetter() {}

  DeadLetter(UpstreamMessage message, String dataJson, int attempts, String lastError, Instant at) {
    this.key = UpstreamKey.of(message);
    this.category = message.category();
    this.dataJson = dataJson;
    this.attempts = attempts;
    this.lastError = lastError;
    this.parkedAt = at;
  }

  /** The message as it was parked, to deliver it again. */
  UpstreamMessage message(Map<String, String> data, Instant receivedAt) {
    return new UpstreamMessage(
        key.senderId(),
        key.device(),
        category,
        key.messageId(),
        data,
        Optional.empty(),
        receivedAt);
  }

  /** What an operator sees; the token abbreviated. */
  DeadLetterView view(Map<String, String> data) {
    return new DeadLetterView(
        id,
        key.senderId(),
        RegistrationTokens.abbreviate(key.device()),
        key.messageId(),
        category,
        data,
        attempts,
        lastError,
        parkedAt);
  }

  String dataJson() {
    return dataJson;
  }

  /** A replay by an operator failed too. */
  void replayFailed(String error) {
    attempts++;
    lastError = error;
  }
}
