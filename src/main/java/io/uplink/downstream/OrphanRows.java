package io.uplink.downstream;

import io.uplink.cluster.DatabaseClock;
import io.uplink.cluster.GatewayInstance;
import io.uplink.cluster.LocalInstance;
import io.uplink.config.ClusterSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outbox rows of instances no longer alive, as the database sees them: which instances are
 * alive, which dead ones own pending messages, and taking those messages over ({@link
 * OrphanAdoption}); an instance is alive while its heartbeat is more recent than the lease
 * duration, by the database's clock. Thread-safe.
 */
@ApplicationScoped
public class OrphanRows {

  /** Message ids per ownership query: well under every database's limit on parameters. */
  private static final int IDS_PER_QUERY = 500;

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  @Inject LocalInstance self;
  @Inject ClusterSettings cluster;
  @Inject DatabaseClock clock;

  /**
   * The instances no longer alive (a previous run of this one included) that own pending messages
   * of the sender: owned by another instance whose heartbeat is older than the lease duration (by
   * the database's clock); an empty owner stands for rows written before rows had owners. A single
   * instance keeps no heartbeats, so every owner but itself is listed.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<Optional<String>> deadOwners(String senderId) {
    return entityManager
        .createQuery(
            "select distinct m.owner from OutboxMessage m where m.status = :status"
                + " and m.senderId = :sender and (m.owner is null or (m.owner <> :self"
                + " and m.owner not in"
                + " (select i.id from GatewayInstance i where i.lastSeen >= :aliveSince)))",
            String.class)
        .setParameter("sender", senderId)
        .setParameter("status", OutboxStatus.PENDING)
        .setParameter("self", self.id())
        .setParameter("aliveSince", aliveSince())
        .getResultList()
        .stream()
        .map(Optional::ofNullable)
        .toList();
  }

  /**
   * The other instances alive now: their heartbeat is more recent than the lease duration (by the
   * database's clock). A single instance keeps no heartbeats, so none is listed there.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Set<String> otherLiveInstances() {
    return Set.copyOf(
        entityManager
            .createQuery(
                "select i.id from GatewayInstance i where i.lastSeen >= :aliveSince"
                    + " and i.id <> :self",
                String.class)
            .setParameter("aliveSince", aliveSince())
            .setParameter("self", self.id())
            .getResultList());
  }

  /**
   * Takes over up to {@code limit} of the sender's pending messages owned by {@code deadOwner},
   * oldest first, unless it is alive again. Each row changes owner only if it still has the dead
   * one (a compare-and-set in the update), so two survivors never both take one. The dead one's
   * heartbeat is read with a lock held until the takeover commits: an instance that wakes up
   * meanwhile writes its heartbeat only after that, and then finds which rows it lost ({@link
   * #ownedByOthers}); one whose heartbeat was written first is alive and keeps them all; no row is
   * locked while the page is read (H2 reads and locks every matching row for {@code for update},
   * whatever the limit). Only their owner changes: the new owner pages them in from the outbox like
   * any spilled message ({@link SenderBacklog}). Nobody waits on their results any more, but they
   * are sent again.
   *
   * @return how many were taken over; 0 when none are left (or another survivor took them all)
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public int adoptOrphans(String senderId, Optional<String> deadOwner, int limit) {
    if (deadOwner.filter(owner -> alive(owner, LockModeType.PESSIMISTIC_WRITE)).isPresent()) {
      return 0;
    }
    TypedQuery<Long> query =
        entityManager
            .createQuery(
                "select m.id from OutboxMessage m where m.status = :status"
                    + " and m.senderId = :sender and "
                    + (deadOwner.isPresent() ? "m.owner = :owner" : "m.owner is null")
                    + Outbox.INDEX_ORDER,
                Long.class)
            .setParameter("sender", senderId)
            .setParameter("status", OutboxStatus.PENDING);
    deadOwner.ifPresent(owner -> query.setParameter("owner", owner));
    List<Long> orphans = query.setMaxResults(limit).getResultList();
    if (orphans.isEmpty()) {
      return 0;
    }
    Query update =
        entityManager
            .createQuery(
                "update OutboxMessage m set m.owner = :self where m.id in :ids"
                    + " and m.status = :status and "
                    + (deadOwner.isPresent() ? "m.owner = :owner" : "m.owner is null"))
            .setParameter("self", self.id())
            .setParameter("ids", orphans)
            .setParameter("status", OutboxStatus.PENDING);
    deadOwner.ifPresent(owner -> update.setParameter("owner", owner));
    return update.executeUpdate();
  }

  /** Whether the instance is alive: its heartbeat is more recent than the lease duration. */
  boolean alive(String instance) {
    return alive(instance, LockModeType.NONE);
  }

  /**
   * The same, reading the heartbeat's row with the lock given, held until the caller's transaction
   * ends. The row is read by id alone and compared here, so that a stale heartbeat is locked too.
   */
  private boolean alive(String instance, LockModeType lock) {
    return entityManager
        .createQuery("select i from GatewayInstance i where i.id = :id", GatewayInstance.class)
        .setParameter("id", instance)
        .setLockMode(lock)
        .getResultStream()
        .anyMatch(heartbeat -> !heartbeat.lastSeen().isBefore(aliveSince()));
  }

  /** Instances whose heartbeat is this recent (by the database's clock) are alive. */
  private Instant aliveSince() {
    return clock.now().minus(cluster.leaseDuration());
  }

  /**
   * Which of these messages of the sender another instance owns now: after this one's heartbeat
   * lapsed, a survivor may have taken them over ({@link io.uplink.cluster.LeaseFence}). Asked after
   * this instance wrote its heartbeat again, which waited for any takeover in progress ({@link
   * #adoptOrphans}). A message not committed yet (its caller's transaction is open) is not among
   * them.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Set<String> ownedByOthers(String senderId, Set<String> messageIds) {
    List<String> ids = List.copyOf(messageIds);
    Set<String> others = new HashSet<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
      others.addAll(
          entityManager
              .createQuery(
                  "select m.messageId from OutboxMessage m where m.senderId = :sender"
                      + " and m.messageId in :ids and (m.owner is null or m.owner <> :self)",
                  String.class)
              .setParameter("sender", senderId)
              .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY)))
              .setParameter("self", self.id())
              .getResultList());
    }
    return others;
  }
}
