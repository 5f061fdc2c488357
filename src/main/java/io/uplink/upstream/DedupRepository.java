package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The de-duplication records of upstream messages. Every method joins the caller's transaction, so
 * a record becomes visible exactly when the delivery that wrote it commits. Thread-safe (the
 * container-managed entity manager is bound to the current transaction).
 */
@ApplicationScoped
public class DedupRepository {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  /** Whether a delivery of this message has already committed, here or on another instance. */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean contains(UpstreamMessage message) {
    return !delivered(List.of(message)).isEmpty();
  }

  /**
   * The keys of those messages whose delivery has already committed (here or on another instance),
   * in one query for all of them; a mutable set the caller may add to. Records written earlier in
   * the same transaction are not flushed for it: a caller delivering several messages in one
   * transaction tracks those itself.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Set<UpstreamKey> delivered(List<UpstreamMessage> messages) {
    List<UpstreamKey> keys = messages.stream().map(UpstreamKey::of).distinct().toList();
    return new HashSet<>(
        entityManager
            .createQuery("select r.key from DedupRecord r where r.key in :keys", UpstreamKey.class)
            .setParameter("keys", keys)
            .setFlushMode(FlushModeType.COMMIT)
            .getResultList());
  }

  /**
   * Records the message when the transaction flushes, in one JDBC batch with the other records of
   * that transaction; a concurrent delivery of the same message (another instance) then fails the
   * whole transaction on the unique constraint.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void recordInBatch(UpstreamMessage message, Instant at) {
    entityManager.persist(new DedupRecord(message, at));
  }

  /**
   * Records the message. Flushed at once so that a concurrent delivery of the same message (another
   * instance) fails on the unique constraint before any observer runs.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void recordNow(UpstreamMessage message, Instant at) {
    entityManager.persist(new DedupRecord(message, at));
    entityManager.flush();
  }

  /** Deletes the message's record: an operator replays it as a new message. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void forget(UpstreamMessage message) {
    entityManager
        .createQuery("delete from DedupRecord r where r.key = :key")
        .setParameter("key", UpstreamKey.of(message))
        .executeUpdate();
  }
}
