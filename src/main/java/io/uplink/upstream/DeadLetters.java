package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator can do with the dead-letter table: list it, newest first; read one; delete one;
 * and replay one through the normal delivery path (a parked delivery receipt through the receipts'
 * path, {@link ParkedReceiptDelivery}). A replay forgets the message's de-duplication record,
 * delivers it as a new message (record, synchronous observers) and removes the dead letter, all in
 * one transaction: when an observer fails again, nothing changes but the dead letter's attempt
 * count and last error ({@link DeadLetterReplay}). Each method is its own transaction. Thread-safe.
 */
@ApplicationScoped
public class DeadLetters {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  @Inject DedupRepository dedup;
  @Inject UpstreamDelivery delivery;
  @Inject ParkedReceiptDelivery receipts;
  @Inject Jsonb jsonb;

  private final Clock clock = Clock.systemUTC();

  /** One page of dead letters, newest first. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<DeadLetterView> page(int page, int size) {
    return entityManager
        .createQuery("select d from DeadLetter d order by d.id desc", DeadLetter.class)
        .setFirstResult(page * size)
        .setMaxResults(size)
        .getResultList()
        .stream()
        .map(letter -> letter.view(data(letter)))
        .toList();
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public long count() {
    return entityManager
        .createQuery("select count(d) from DeadLetter d", Long.class)
        .getSingleResult();
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<DeadLetterView> find(long id) {
    return Optional.ofNullable(entityManager.find(DeadLetter.class, id))
        .map(letter -> letter.view(data(letter)));
  }

  /**
   * Delivers the dead letter again as a new message and removes it.
   *
   * @return empty when there is no such dead letter
   * @throws RuntimeException when an observer failed again; nothing was changed
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  Optional<DeliveryOutcome> replay(long id) {
    DeadLetter letter = entityManager.find(DeadLetter.class, id);
    if (letter == null) {
      return Optional.empty();
    }
    UpstreamMessage message = letter.message(data(letter), clock.instant());
    dedup.forget(message);
    entityManager.remove(letter);
    if (!ParkedReceiptDelivery.isReceipt(message)) {
      return Optional.of(delivery.deliverHere(message));
    }
    return Optional.of(
        receipts.deliverHere(message) ? DeliveryOutcome.DELIVERED : DeliveryOutcome.DUPLICATE);
  }

  /**
   * Counts a failed replay on the dead letter.
   *
   * @return the error as stored and shown, token abbreviated; empty when the dead letter is gone (a
   *     concurrent replay delivered it)
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  Optional<String> replayFailed(long id, Throwable failure) {
    DeadLetter letter = entityManager.find(DeadLetter.class, id);
    if (letter == null) {
      return Optional.empty();
    }
    String error = FailureLedger.errorText(letter.message(Map.of(), clock.instant()), failure);
    String stored = FailureLedger.storable(error);
    letter.replayFailed(stored);
    return Optional.of(stored);
  }

  /**
   * @return whether there was such a dead letter
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean delete(long id) {
    DeadLetter letter = entityManager.find(DeadLetter.class, id);
    if (letter == null) {
      return false;
    }
    entityManager.remove(letter);
    return true;
  }

  @SuppressWarnings("unchecked")
  private Map<String, String> data(DeadLetter letter) {
    return new HashMap<String, String>(jsonb.fromJson(letter.dataJson(), Map.class));
  }
}
