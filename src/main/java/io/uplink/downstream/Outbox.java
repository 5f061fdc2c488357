package io.uplink.downstream;

import io.uplink.api.SendResult;
import io.uplink.cluster.LocalInstance;
import io.uplink.schema.SupportedDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.hibernate.Session;

/**
 * The outbox table: accept, settle, cancel and page downstream messages (the rows of dead instances
 * are {@link OrphanRows}'). Accepting joins the caller's transaction when there is one (an
 * observer's delivery transaction), so a message is accepted if and only if that transaction
 * commits; outside one, accepted messages share a transaction of their own ({@link GroupCommit}).
 * Every other call is its own transaction. It is also the queue of the messages pending beyond
 * memory's window ({@link OutboxPages}). Thread-safe.
 */
@ApplicationScoped
public class Outbox implements OutboxPages {

  private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

  /**
   * Oldest first, named by every column of the pending index, so that H2 reads the index in order
   * instead of sorting every pending row for each page: it takes an index's order only for an
   * {@code order by} that starts with the index's first column, even where a condition fixes it.
   */
  static final String INDEX_ORDER = " order by m.status, m.senderId, m.owner, m.id";

  /** The order of the outbox's unique key. */
  private static final Comparator<MessageEnd> KEY_ORDER =
      Comparator.comparing((MessageEnd end) -> end.message().messageId())
          .thenComparing(end -> end.message().senderId());

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  @Inject LocalInstance self;
  @Inject TokenEvents tokenEvents;
  @Inject OrphanRows orphans;

  /**
   * Records an accepted message in the caller's transaction; fails on a {@code message_id} already
   * used by this sender.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void accept(Outbound message) {
    entityManager.persist(new OutboxMessage(message, Instant.now(), self.id()));
  }

  /**
   * Records accepted messages in one transaction of their own ({@link GroupCommit}'s); fails whole
   * on a {@code message_id} already used by its sender.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void acceptAll(List<Outbound> messages) {
    persist(messages);
  }

  private void persist(List<Outbound> messages) {
    Instant now = Instant.now();
    messages.forEach(message -> entityManager.persist(new OutboxMessage(message, now, self.id())));
  }

  /**
   * Records the messages of a batch whose {@code message_id} the sender has not used before, in one
   * transaction: the caller's when there is one, so that they are accepted if and only if it
   * commits.
   *
   * @return the ids the sender had used before, whose messages were not recorded
   */
  @Transactional(Transactional.TxType.REQUIRED)
  public Set<String> acceptNew(String senderId, List<Outbound> messages) {
    if (messages.isEmpty()) {
      return Set.of();
    }
    Set<String> used =
        Set.copyOf(
            entityManager
                .createQuery(
                    "select m.messageId from OutboxMessage m where m.senderId = :sender"
                        + " and m.messageId in :ids",
                    String.class)
                .setParameter("sender", senderId)
                .setParameter("ids", messages.stream().map(Outbound::messageId).toList())
                .getResultList());
    persist(messages.stream().filter(message -> !used.contains(message.messageId())).toList());
    return used;
  }

  /**
   * Records how the messages ended, all in one transaction, each with a copy of the token event its
   * answer calls for, so that an event survives exactly when its answer does. The rows change in
   * one JDBC batch of updates on the transaction's connection, without reading them first: the
   * entity manager's query, load and flush of each row cost more than the database's work, and it
   * batches no update of an entity with dynamic updates. Rows change in key order, so that this
   * never deadlocks with another transaction doing the same. A row another session holds locked
   * fails it after a few seconds rather than stalling the caller.
   *
   * @return the id of each recorded event, in the order of {@code ends}
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<Optional<Long>> settle(List<MessageEnd> ends) {
    OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
    entityManager
        .unwrap(Session.class)
        .doWork(
            connection -> {
              SupportedDatabase.of(connection).boundLockWaits(connection);
              recordEnds(connection, ends, now);
            });
    List<Optional<Long>> events = new ArrayList<>(ends.size());
    for (MessageEnd end : ends) {
      Optional<TokenEventRecord> event = end.event().map(TokenEventRecord::unrecordedCopy);
      event.ifPresent(tokenEvents::record);
      events.add(event.map(TokenEventRecord::id));
    }
    return events;
  }

  private static void recordEnds(Connection connection, List<MessageEnd> ends, OffsetDateTime at)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "update uplink_outbox set status = ?, error = ?, fcm_name = ?, answered_at = ?"
                + " where message_id = ? and sender_id = ?")) {
      for (MessageEnd end : ends.stream().sorted(KEY_ORDER).toList()) {
        update.setString(1, end.status().name());
        update.setString(2, OutboxMessage.errorColumn(end.error()));
        update.setString(3, OutboxMessage.fcmNameColumn(end.fcmName()));
        update.setObject(4, at);
        update.setString(5, end.message().messageId());
        update.setString(6, end.message().senderId());
        update.addBatch();
      }
      long missing = Arrays.stream(update.executeBatch()).filter(count -> count == 0).count();
      if (missing > 0) {
        LOG.warning(
            missing
                + " downstream answer(s) found no row in the outbox to record them in (deleted"
                + " meanwhile?)");
      }
    }
  }

  /** Notes the receipt in the caller's transaction, which records and fires it too. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void receiptReceived(String senderId, String messageId) {
    findMessages(senderId, messageId).forEach(m -> m.receiptReceived(Instant.now()));
  }

  /** What the outbox knows of one message. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<OutboxEntry> find(String senderId, String messageId) {
    return findMessages(senderId, messageId).stream().findFirst().map(OutboxMessage::entry);
  }

  /**
   * One page of the sender's pending messages in the order the outbox recorded them (oldest first;
   * messages accepted at the same moment on several threads may be in either order).
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<OutboxEntry> pending(String senderId, int page, int size) {
    return entityManager
        .createQuery(
            "select m from OutboxMessage m where m.senderId = :sender and m.status = :status"
                + " order by m.id",
            OutboxMessage.class)
        .setParameter("sender", senderId)
        .setParameter("status", OutboxStatus.PENDING)
        .setFirstResult(page * size)
        .setMaxResults(size)
        .getResultStream()
        .map(OutboxMessage::entry)
        .toList();
  }

  /** How many of the sender's messages are pending. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public long countPending(String senderId) {
    return entityManager
        .createQuery(
            "select count(m) from OutboxMessage m where m.senderId = :sender"
                + " and m.status = :status",
            Long.class)
        .setParameter("sender", senderId)
        .setParameter("status", OutboxStatus.PENDING)
        .getSingleResult();
  }

  /**
   * Marks a pending message {@link OutboxStatus#CANCELLED}, so that no instance sends it after a
   * restart or takes it over; the row is locked meanwhile. Only the instance sending it can also
   * keep it from being written, so a message owned by another live instance is left alone.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Cancellation cancel(String senderId, String messageId) {
    List<OutboxMessage> found = findMessages(senderId, messageId, LockModeType.PESSIMISTIC_WRITE);
    if (found.isEmpty()) {
      return new Cancellation(Cancellation.Outcome.NOT_FOUND, Optional.empty());
    }
    OutboxMessage message = found.get(0);
    OutboxEntry entry = message.entry();
    Cancellation.Outcome outcome;
    if (entry.status() != OutboxStatus.PENDING) {
      outcome = Cancellation.Outcome.NOT_PENDING;
    } else if (entry.owner().filter(o -> !o.equals(self.id())).filter(orphans::alive).isPresent()) {
      outcome = Cancellation.Outcome.OWNED_ELSEWHERE;
    } else {
      message.answered(
          OutboxStatus.CANCELLED, SendResult.CANCELLED_ERROR, Optional.empty(), Instant.now());
      outcome = Cancellation.Outcome.CANCELLED;
    }
    return new Cancellation(outcome, Optional.of(message.entry()));
  }

  @Override
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<PendingRow> pendingAfter(String senderId, long afterId, int limit) {
    return entityManager
        .createQuery(
            "select m.id, m.messageId from OutboxMessage m where m.status = :status"
                + " and m.senderId = :sender and m.owner = :self and m.id > :after"
                + INDEX_ORDER,
            Object[].class)
        .setParameter("status", OutboxStatus.PENDING)
        .setParameter("sender", senderId)
        .setParameter("self", self.id())
        .setParameter("after", afterId)
        .setMaxResults(limit)
        .getResultStream()
        .map(row -> new PendingRow((Long) row[0], (String) row[1]))
        .toList();
  }

  @Override
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<Outbound> load(String senderId, List<Long> ids) {
    return entityManager
        .createQuery(
            "select m from OutboxMessage m where m.id in :ids and m.status = :status"
                + " and m.senderId = :sender and m.owner = :self order by m.id",
            OutboxMessage.class)
        .setParameter("ids", ids)
        .setParameter("status", OutboxStatus.PENDING)
        .setParameter("sender", senderId)
        .setParameter("self", self.id())
        .getResultStream()
        .map(OutboxMessage::toOutbound)
        .toList();
  }

  private List<OutboxMessage> findMessages(String senderId, String messageId) {
    return findMessages(senderId, messageId, LockModeType.NONE);
  }

  private List<OutboxMessage> findMessages(String senderId, String messageId, LockModeType lock) {
    return entityManager
        .createQuery(
            "select m from OutboxMessage m where m.senderId = :sender and m.messageId = :id",
            OutboxMessage.class)
        .setParameter("sender", senderId)
        .setParameter("id", messageId)
        .setLockMode(lock)
        .getResultList();
  }
}
