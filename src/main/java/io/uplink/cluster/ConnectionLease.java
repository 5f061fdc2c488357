package io.uplink.cluster;

import io.uplink.config.SenderSettings;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/**
 * The lease on one connection of a sender: the instance that holds it, until when. Only the holder
 * opens that connection, so the instances together never open more than {@code
 * uplink.ccs.connections} for a sender (ccs-protocol.md §1.5 caps them at 1,000). Changed only with
 * conditional updates ({@link LeaseStore}), so two instances never both win one lease. Mutable JPA
 * entity; not thread-safe.
 */
@Entity
@Table(
    name = "uplink_connection_lease",
    uniqueConstraints =
        @UniqueConstraint(
            name = "uk_connection_lease",
            columnNames = {"sender_id", "slot_index"}))
public class ConnectionLease {

  @Id
  @Column(name = "id", length = SenderSettings.MAX_SENDER_ID_LENGTH + 8)
  private String id;

  @Column(name = "sender_id", nullable = false, length = SenderSettings.MAX_SENDER_ID_LENGTH)
  private String senderId;

  @Column(name = "slot_index", nullable = false)
  private int slotIndex;

  @Column(name = "owner", length = LocalInstance.MAX_ID_LENGTH)
  private String owner;

  @Column(name = "expires_at")
  private Instant expiresAt;

  protected ConnectionLease() {}

  ConnectionLease(String senderId, int slotIndex) {
    this.id = id(senderId, slotIndex);
    this.senderId = senderId;
    this.slotIndex = slotIndex;
  }

  static String id(String senderId, int slotIndex) {
    return senderId + "/" + slotIndex;
  }

  String id() {
    return id;
  }

  int slotIndex() {
    return slotIndex;
  }

  boolean heldBy(String instanceId) {
    return instanceId.equals(owner);
  }
}
