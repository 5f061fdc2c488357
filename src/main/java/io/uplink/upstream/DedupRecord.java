package io.uplink.upstream;

import io.uplink.ccs.UpstreamLimits;
import io.uplink.schema.KeyDigest;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/**
 * The de-duplication record of one upstream message: the digest of its (sender ID, device, message
 * id) is unique ({@link KeyDigest}), so a message redelivered by CCS, on any connection or
 * instance, is recognised and not fired again. Written in the same transaction as the observers, so
 * it exists exactly when they committed. Mutable JPA entity; not thread-safe.
 */
@Entity
@Table(
    name = "uplink_received",
    uniqueConstraints = @UniqueConstraint(name = "uk_received_digest", columnNames = "key_digest"),
    indexes = @Index(name = "ix_received_at", columnList = "received_at"))
public class DedupRecord {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "uplink_received_seq")
  @SequenceGenerator(name = "uplink_received_seq", allocationSize = 100)
  private Long id;

  @Embedded private UpstreamKey key;

  @Column(name = "key_digest", nullable = false, length = KeyDigest.LENGTH)
  private byte[] keyDigest;

  @Column(name = "category", nullable = false, length = UpstreamLimits.MAX_CATEGORY_LENGTH)
  private String category;

  @Column(name = "received_at", nullable = false)
  private Instant receivedAt;

  protected DedupRecord() {}
}
