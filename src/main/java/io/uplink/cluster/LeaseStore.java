package io.uplink.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The instance heartbeats and connection leases in the shared database. Every lease changes hands
 * through a conditional update (free or expired, or held by the caller), which the database applies
 * to one row at a time, so two instances never both hold one. Every time written or compared is the
 * database's ({@link DatabaseClock}), so the instances' own clocks may disagree. Each method is its
 * own transaction. Thread-safe.
 */
@ApplicationScoped
public class LeaseStore {

  /** A heartbeat this many lease durations old is deleted; its instance is long gone. */
  private static final int FORGET_AFTER_LEASES = 20;

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  @Inject DatabaseClock clock;

  /**
   * Records that this instance is alive and forgets instances long dead.
   *
   * @return how many instances are alive, this one included
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public int heartbeat(LocalInstance self, Duration lease) {
    Instant now = clock.now();
    GatewayInstance row = entityManager.find(GatewayInstance.class, self.id());
    if (row == null) {
      entityManager.persist(new GatewayInstance(self.id(), self.description(), now));
    } else {
      row.seen(now);
    }
    entityManager
        .createQuery("delete from GatewayInstance i where i.lastSeen < :forgotten")
        .setParameter("forgotten", now.minus(lease.multipliedBy(FORGET_AFTER_LEASES)))
        .executeUpdate();
    return entityManager
        .createQuery(
            "select count(i) from GatewayInstance i where i.lastSeen >= :alive", Long.class)
        .setParameter("alive", now.minus(lease))
        .getSingleResult()
        .intValue();
  }

  /**
   * Renews the caller's leases on a sender's connections and moves it towards its fair share,
   * {@code connections / liveInstances} rounded up: it takes free or expired leases while it holds
   * fewer, and gives back its highest ones while it holds more.
   *
   * @return the indexes of the connections the caller holds now
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Set<Integer> rebalance(
      String self, String senderId, int connections, int liveInstances, Duration lease) {
    Instant now = clock.now();
    createMissing(senderId, connections);
    Instant until = now.plus(lease);
    entityManager
        .createQuery(
            "update ConnectionLease l set l.expiresAt = :until"
                + " where l.senderId = :sender and l.owner = :self and l.slotIndex < :connections")
        .setParameter("until", until)
        .setParameter("sender", senderId)
        .setParameter("self", self)
        .setParameter("connections", connections)
        .executeUpdate();
    entityManager
        .createQuery(
            "update ConnectionLease l set l.owner = null, l.expiresAt = null"
                + " where l.senderId = :sender and l.owner = :self and l.slotIndex >= :connections")
        .setParameter("sender", senderId)
        .setParameter("self", self)
        .setParameter("connections", connections)
        .executeUpdate();
    entityManager.clear();
    List<ConnectionLease> leases =
        entityManager
            .createQuery(
                "select l from ConnectionLease l where l.senderId = :sender"
                    + " and l.slotIndex < :connections order by l.slotIndex",
                ConnectionLease.class)
            .setParameter("sender", senderId)
            .setParameter("connections", connections)
            .getResultList();
    TreeSet<Integer> held = new TreeSet<>();
    leases.stream().filter(l -> l.heldBy(self)).forEach(l -> held.add(l.slotIndex()));
    int share = fairShare(connections, liveInstances);
    while (held.size() > share) {
      int highest = held.pollLast();
      release(self, ConnectionLease.id(senderId, highest));
    }
    for (ConnectionLease candidate : leases) {
      if (held.size() >= share) {
        break;
      }
      if (!candidate.heldBy(self) && claim(self, candidate.id(), now, until)) {
        held.add(candidate.slotIndex());
      }
    }
    return held;
  }

  /**
   * How many of a sender's connections one instance should hold: {@code connections /
   * liveInstances}, rounded up so that together they hold them all; all of them when no other
   * instance is known to be alive.
   */
  static int fairShare(int connections, int liveInstances) {
    int instances = Math.max(1, liveInstances);
    return (connections + instances - 1) / instances;
  }

  /** Gives back every lease of this instance and removes its heartbeat: it is stopping. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void leave(String self) {
    entityManager
        .createQuery(
            "update ConnectionLease l set l.owner = null, l.expiresAt = null where l.owner = :self")
        .setParameter("self", self)
        .executeUpdate();
    entityManager
        .createQuery("delete from GatewayInstance i where i.id = :self")
        .setParameter("self", self)
        .executeUpdate();
  }

  private void createMissing(String senderId, int connections) {
    Set<Integer> existing =
        new HashSet<>(
            entityManager
                .createQuery(
                    "select l.slotIndex from ConnectionLease l where l.senderId = :sender",
                    Integer.class)
                .setParameter("sender", senderId)
                .getResultList());
    for (int index = 0; index < connections; index++) {
      if (!existing.contains(index)) {
        entityManager.persist(new ConnectionLease(senderId, index));
      }
    }
    entityManager.flush();
  }

  private boolean claim(String self, String leaseId, Instant now, Instant until) {
    return entityManager
            .createQuery(
                "update ConnectionLease l set l.owner = :self, l.expiresAt = :until"
                    + " where l.id = :id and (l.owner is null or l.expiresAt < :now)")
            .setParameter("self", self)
            .setParameter("until", until)
            .setParameter("id", leaseId)
            .setParameter("now", now)
            .executeUpdate()
        == 1;
  }

  private void release(String self, String leaseId) {
    entityManager
        .createQuery(
            "update ConnectionLease l set l.owner = null, l.expiresAt = null"
                + " where l.id = :id and l.owner = :self")
        .setParameter("id", leaseId)
        .setParameter("self", self)
        .executeUpdate();
  }
}
