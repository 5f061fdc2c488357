package io.uplink.downstream;

import io.uplink.api.Downstream;
import io.uplink.api.DownstreamSender;
import io.uplink.cluster.LocalInstance;
import io.uplink.config.SenderSettings;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One accepted downstream message, written before {@link DownstreamSender#send} returns, so a
 * message accepted is never lost: messages still {@link OutboxStatus#PENDING} when the instance
 * that owns them stops or crashes are sent again by the next one (after a restart, or a survivor in
 * a cluster). Its {@code message_id} is unique per sender ID, as CCS requires (ccs-protocol.md
 * §3.1). Updates write only the columns that changed ({@link DynamicUpdate}): recording an answer
 * must not rewrite the message's JSON, a CLOB on H2. Mutable JPA entity; not thread-safe.
 */
@Entity
@Table(
    name = "uplink_outbox",
    uniqueConstraints =
        @UniqueConstraint(
            name = "uk_outbox_message",
            columnNames = {"message_id", "sender_id"}),
    indexes = @Index(name = "ix_outbox_pending", columnList = "status, sender_id, owner, id"))
@DynamicUpdate
public class OutboxMessage {

  /** Room for the error of an ended message; a longer one is cut to fit. */
  private static final int MAX_ERROR_LENGTH = 512;

  /** Room for FCM's name of an accepted message; a longer one is cut to fit. */
  private static final int MAX_FCM_NAME_LENGTH = 256;

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "uplink_outbox_seq")
  @SequenceGenerator(name = "uplink_outbox_seq", allocationSize = 50)
  private Long id;

  @Column(name = "sender_id", nullable = false, length = SenderSettings.MAX_SENDER_ID_LENGTH)
  private String senderId;

  @Column(name = "message_id", nullable = false, length = Downstream.MAX_MESSAGE_ID_LENGTH)
  private String messageId;

  @Column(name = "target_key", nullable = false, length = Downstream.MAX_TARGET_LENGTH)
  private String targetKey;

  /** Abbreviated for tokens; a topic or "condition …" in full, hence the room for the prefix. */
  @Column(name = "target", nullable = false, length = Downstream.MAX_TARGET_LENGTH + 16)
  private String target;

  /**
   * Unbounded text on every database (text on PostgreSQL; a {@code @Lob} would be an oid there).
   */
  @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
  @Column(name = "json", nullable = false)
  private String json;

  /**
   * A plain VARCHAR on every database: Hibernate 6 would make it an H2 ENUM, which after a restart
   * on a crashed database failed the pending-messages query ("CHARACTER VARYING to DECFLOAT").
   */
  @Enumerated(EnumType.STRING)
  @JdbcTypeCode(SqlTypes.VARCHAR)
  @Column(name = "status", nullable = false, length = 16)
  private OutboxStatus status;

  @Column(name = "error", length = MAX_ERROR_LENGTH)
  private String error;

  @Column(name = "accepted_at", nullable = false)
  private Instant acceptedAt;

  /** Null on rows written before expiry was recorded: they expire four weeks after acceptance. */
  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "answered_at")
  private Instant answeredAt;

  @Column(name = "receipt_at")
  private Instant receiptAt;

  /** The name FCM's HTTP v1 API gave the message when it accepted it; null over CCS. */
  @Column(name = "fcm_name", length = MAX_FCM_NAME_LENGTH)
  private String fcmName;

  /**
   * The instance sending it ({@link LocalInstance#id()}); null on rows written before rows had
   * owners, which any instance may take over.
   */
  @Column(name = "owner", length = LocalInstance.MAX_ID_LENGTH)
  private String owner;

  protected OutboxMessage() {}

  OutboxMessage(Outbound message, Instant at, String owner) {
    this.owner = owner;
    this.senderId = message.senderId();
    this.messageId = message.messageId();
    this.targetKey = message.targetKey();
    this.target = message.target();
    this.json = message.json();
    this.status = OutboxStatus.PENDING;
    this.acceptedAt = at;
    this.expiresAt = message.expiresAt();
  }

  /** Another instance is to send it now: its owner is no longer alive. */
  void adoptBy(String newOwner) {
    owner = newOwner;
  }

  void answered(OutboxStatus newStatus, String newError, Optional<String> name, Instant at) {
    status = newStatus;
    error = errorColumn(newError);
    fcmName = fcmNameColumn(name);
    answeredAt = at;
  }

  /** The error text as its column keeps it: cut to fit. */
  static String errorColumn(String error) {
    return cut(error, MAX_ERROR_LENGTH);
  }

  /** FCM's name as its column keeps it: cut to fit, null for none. */
  static String fcmNameColumn(Optional<String> name) {
    return cut(name.orElse(null), MAX_FCM_NAME_LENGTH);
  }

  void receiptReceived(Instant at) {
    receiptAt = at;
  }

  OutboxEntry entry() {
    return new OutboxEntry(
        senderId,
        messageId,
        target,
        status,
        Optional.ofNullable(error),
        acceptedAt,
        Optional.ofNullable(answeredAt),
        Optional.ofNullable(receiptAt),
        Optional.ofNullable(owner),
        Optional.ofNullable(fcmName));
  }

  /** The message to send again after its owner died; nobody waits on its result any more. */
  Outbound toOutbound() {
    Instant expiry =
        expiresAt != null ? expiresAt : acceptedAt.plusSeconds(Downstream.MAX_TIME_TO_LIVE);
    return Outbound.accepted(senderId, messageId, targetKey, target, json, expiry);
  }

  private static String cut(String text, int length) {
    return text == null || text.length() <= length ? text : text.substring(0, length - 1) + "…";
  }
}
