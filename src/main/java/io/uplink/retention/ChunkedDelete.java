package io.uplink.retention;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Deletes the oldest rows of one entity that match a condition, a bounded number per transaction,
 * so that a purge never holds long locks or a large transaction, whatever the backlog. Thread-safe.
 */
@ApplicationScoped
public class ChunkedDelete {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  /**
   * Deletes at most {@code limit} rows, lowest ids first.
   *
   * @param entity the entity's JPQL name
   * @param condition a JPQL condition on {@code e} with the parameter {@code :cutoff}
   * @return how many rows it deleted; fewer than {@code limit} means none are left
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public int deleteChunk(String entity, String condition, Instant cutoff, int limit) {
    List<Long> ids =
        entityManager
            .createQuery(
                "select e.id from " + entity + " e where " + condition + " order by e.id",
                Long.class)
            .setParameter("cutoff", cutoff)
            .setMaxResults(limit)
            .getResultList();
    if (ids.isEmpty()) {
      return 0;
    }
    return entityManager
        .createQuery("delete from " + entity + " e where e.id in :ids")
        .setParameter("ids", ids)
        .executeUpdate();
  }
}
