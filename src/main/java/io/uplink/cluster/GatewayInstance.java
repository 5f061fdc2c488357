package io.uplink.cluster;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The heartbeat of one running instance in the shared database: alive while {@code lastSeen} is
 * younger than the lease duration. The number of live instances decides each one's share of the
 * connections. Mutable JPA entity; not thread-safe.
 */
@Entity
@Table(name = "uplink_instance")
public class GatewayInstance {

  @Id
  @Column(name = "id", length = LocalInstance.MAX_ID_LENGTH)
  private String id;

  @Column(name = "description", nullable = false)
  private String description;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "last_seen", nullable = false)
  private Instant lastSeen;

  protected GatewayInstance() {}

  GatewayInstance(String id, String description, Instant now) {
    this.id = id;
    this.description = description;
    this.startedAt = now;
    this.lastSeen = now;
  }

  void seen(Instant now) {
    lastSeen = now;
  }

  /** The database's time of the instance's last heartbeat. */
  public Instant lastSeen() {
    return lastSeen;
  }
}
