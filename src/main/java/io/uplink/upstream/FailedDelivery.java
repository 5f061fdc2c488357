package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/**
 * How often the observers of one upstream message have failed. It survives the redeliveries of CCS,
 * restarts and other instances, so that a poison message is dead-lettered after the configured
 * number of attempts wherever they happened. Mutable JPA entity; not thread-safe.
 */
@Entity
@Table(
    name = "uplink_failed_delivery",
    uniqueConstraints =
        @UniqueConstraint(
            name = "uk_failed_delivery_key",
            columnNames = {"sender_id", "device", "message_id"}))
public class FailedDelivery {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "uplink_failed_delivery_seq")
  @SequenceGenerator(name = "uplink_failed_delivery_seq", allocationSize = 20)
  private Long id;

  @Embedded private UpstreamKey key;

  @Column(name = "attempts", nullable = false)
  private int attempts;

  @Column(name = "last_error", length = 2000)
  private String lastError;

  @Column(name = "last_failure_at", nullable = false)
  private Instant lastFailureAt;

  protected FailedDelivery() {}

  FailedDelivery(UpstreamMessage message) {
    this.key = UpstreamKey.of(message);
  }

  int recordFailure(String error, Instant at) {
    attempts++;
    lastError = error;
    lastFailureAt = at;
    return attempts;
  }
}
