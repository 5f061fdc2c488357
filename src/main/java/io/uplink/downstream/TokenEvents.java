package io.uplink.downstream;

import io.uplink.api.CanonicalTokenReceived;
import io.uplink.api.TokenInvalidated;
import io.uplink.cluster.DatabaseClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The table of token events waiting for the application ({@link TokenEventRecord}), and one
 * delivery attempt of one of them: fire it to the synchronous observers and delete the row in one
 * transaction, so an observer's database work and the end of the event commit together. Every
 * method is its own transaction, except {@link #record}, which joins the outbox's. When an event is
 * due is written and compared in the database's time ({@link DatabaseClock}), because any instance
 * may retry an event that another recorded. Thread-safe.
 */
@ApplicationScoped
public class TokenEvents {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  @Inject DatabaseClock clock;
  @Inject Event<TokenInvalidated> invalidated;
  @Inject Event<CanonicalTokenReceived> canonical;

  /** Writes the event in the caller's transaction, the one that records CCS's answer. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void record(TokenEventRecord event) {
    event.recordedAt(clock.now());
    entityManager.persist(event);
  }

  /**
   * Fires the event and deletes it, unless another thread or instance did so first (the row is
   * locked meanwhile).
   *
   * @throws RuntimeException when an observer threw or the commit failed; nothing is changed
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void deliver(long id) {
    TokenEventRecord record =
        entityManager.find(TokenEventRecord.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (record == null || record.isDead()) {
      return;
    }
    Object event = record.event();
    if (event instanceof TokenInvalidated token) {
      invalidated.fire(token);
    } else {
      canonical.fire((CanonicalTokenReceived) event);
    }
    entityManager.remove(record);
  }

  /**
   * Counts a failed attempt and sets when the next one is due, or dead-letters the event once
   * {@code maxAttempts} attempts failed.
   *
   * @param retryAfter the wait after the given number of failed attempts
   * @return how many attempts have failed now (0 when the event is gone)
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public int failed(long id, String failure, IntFunction<Duration> retryAfter, int maxAttempts) {
    TokenEventRecord record = entityManager.find(TokenEventRecord.class, id);
    return record == null ? 0 : record.failed(failure, retryAfter, maxAttempts, clock.now());
  }

  /** Ids of the live events due for an attempt, oldest first, at most {@code limit}. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<Long> due(int limit) {
    return entityManager
        .createQuery(
            "select e.id from TokenEventRecord e where e.dead = false and e.nextAttemptAt <= :now"
                + " order by e.id",
            Long.class)
        .setParameter("now", clock.now())
        .setMaxResults(limit)
        .getResultList();
  }
}
