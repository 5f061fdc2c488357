package io.uplink.downstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox table: accept, settle and recover downstream messages. Accepting joins the caller's
 * transaction when there is one (an observer's delivery transaction), so a message is accepted if
 * and only if that transaction commits; every other call is its own transaction. Thread-safe.
 */
@ApplicationScoped
public class Outbox {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  /** Records an accepted message; fails on a {@code message_id} already used by this sender. */
  @Transactional(Transactional.TxType.REQUIRED)
  public void accept(Outbound message) {
    entityManager.persist(new OutboxMessage(message, Instant.now()));
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void settle(String senderId, String messageId, OutboxStatus status, String error) {
    findMessages(senderId, messageId).forEach(m -> m.answered(status, error, Instant.now()));
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void receiptReceived(String senderId, String messageId) {
    findMessages(senderId, messageId).forEach(m -> m.receiptReceived(Instant.now()));
  }

  /** What the outbox knows of one message. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<OutboxEntry> find(String senderId, String messageId) {
    return findMessages(senderId, messageId).stream().findFirst().map(OutboxMessage::entry);
  }

  /**
   * Messages of a sender that were accepted and never answered, oldest first; after a restart
   * nobody waits on their results, but they are sent again.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<Outbound> pending(String senderId) {
    return entityManager
        .createQuery(
            "select m from OutboxMessage m where m.senderId = :sender and m.status = :status"
                + " order by m.id",
            OutboxMessage.class)
        .setParameter("sender", senderId)
        .setParameter("status", OutboxStatus.PENDING)
        .getResultList()
        .stream()
        .map(OutboxMessage::toOutbound)
        .toList();
  }

  private List<OutboxMessage> findMessages(String senderId, String messageId) {
    return entityManager
        .createQuery(
            "select m from OutboxMessage m where m.senderId = :sender and m.messageId = :id",
            OutboxMessage.class)
        .setParameter("sender", senderId)
        .setParameter("id", messageId)
        .getResultList();
  }
}
