package io.uplink.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * The shared database's clock. Heartbeats and leases are written and compared in its time only, so
 * instances whose own clocks disagree still agree on who holds a lease and who is alive.
 * Thread-safe.
 */
@ApplicationScoped
public class DatabaseClock {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  /** The database's current time, read in the caller's transaction. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Instant now() {
    Object now = entityManager.createNativeQuery("select current_timestamp").getSingleResult();
    if (now instanceof Timestamp timestamp) {
      return timestamp.toInstant();
    }
    if (now instanceof OffsetDateTime offset) {
      return offset.toInstant();
    }
    if (now instanceof ZonedDateTime zoned) {
      return zoned.toInstant();
    }
    if (now instanceof Instant instant) {
      return instant;
    }
    throw new IllegalStateException("the database's current_timestamp is a " + now.getClass());
  }
}
