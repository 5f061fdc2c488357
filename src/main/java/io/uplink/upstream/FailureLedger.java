package io.uplink.upstream;

import io.uplink.api.RegistrationTokens;
import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Counts failed delivery attempts per upstream message (or delivery receipt) in the database and
 * parks it in the dead-letter table once it has failed too often. Runs in its own transaction,
 * after the failed delivery rolled back. Thread-safe.
 */
@ApplicationScoped
public class FailureLedger {

  private static final int MAX_ERROR_LENGTH = 2000;

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  @Inject DedupRepository dedup;

  private final Clock clock = Clock.systemUTC();
  @Inject Jsonb jsonb;

  /**
   * Records one failed attempt, with the innermost cause of the failure (what failed, not the
   * layers that passed it on: a rollback, JTA).
   *
   * @return true when this was the last attempt allowed and the message is now parked (and
   *     remembered as delivered), false when CCS is to redeliver it
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean recordFailure(UpstreamMessage message, Throwable cause, int maxAttempts) {
    Instant now = clock.instant();
    String error = errorText(message, cause);
    String trimmedError = storable(error);
    FailedDelivery failure = find(message);
    int attempts;
    if (failure == null) {
      failure = new FailedDelivery(message);
      attempts = failure.recordFailure(trimmedError, now);
      entityManager.persist(failure);
    } else {
      attempts = failure.recordFailure(trimmedError, now);
    }
    if (attempts < maxAttempts || !dedup.recordIfNew(message, now)) {
      return false;
    }
    entityManager.persist(
        new DeadLetter(message, jsonb.toJson(message.data()), attempts, trimmedError, now));
    entityManager.remove(failure);
    return true;
  }

  /**
   * The innermost cause as text, with the device's registration token abbreviated wherever an
   * observer's or the database's message quoted it: the text is stored, logged and shown by the
   * admin API.
   */
  static String errorText(UpstreamMessage message, Throwable cause) {
    return String.valueOf(rootOf(cause))
        .replace(message.from(), RegistrationTokens.abbreviate(message.from()));
  }

  /** The error text cut to the length the failure and dead-letter tables store. */
  static String storable(String error) {
    return error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
  }

  /** The innermost cause: what failed, not the layers that passed it on. */
  private static Throwable rootOf(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private FailedDelivery find(UpstreamMessage message) {
    List<FailedDelivery> found =
        entityManager
            .createQuery("select f from FailedDelivery f where f.key = :key", FailedDelivery.class)
            .setParameter("key", UpstreamKey.of(message))
            .getResultList();
    return found.isEmpty() ? null : found.get(0);
  }
}
