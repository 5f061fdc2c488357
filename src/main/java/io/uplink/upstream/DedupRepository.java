package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;
import io.uplink.schema.SupportedDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.BeforeExecutionGenerator;
import org.hibernate.generator.EventType;

/**
 * The de-duplication records of upstream messages. Every method joins the caller's transaction, so
 * a record becomes visible exactly when the delivery that wrote it commits. Thread-safe (the
 * container-managed entity manager is bound to the current transaction).
 */
@ApplicationScoped
public class DedupRepository {

  private static final Comparator<UpstreamKey> KEY_ORDER =
      Comparator.comparing(UpstreamKey::senderId)
          .thenComparing(UpstreamKey::device)
          .thenComparing(UpstreamKey::messageId);

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  /** Which statement this database takes; found on first use. */
  private volatile DedupInsert insert;

  /**
   * Records each of the messages that has no record yet, and tells which those were: one JDBC batch
   * of {@link DedupInsert} statements on the transaction's connection, instead of a query and an
   * entity per message (the entity manager's query translation, persist and flush cost more than
   * the database's work). Keys are inserted in their sort order, so that two instances recording
   * overlapping batches on PostgreSQL wait for each other instead of deadlocking.
   *
   * @return the keys recorded now, each with the id of its record (a mutable map the caller may
   *     take from); a message whose key is not in it was delivered before, or is a later copy in
   *     the same list
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Map<UpstreamKey, Object> recordNew(List<UpstreamMessage> messages, Instant at) {
    Map<UpstreamKey, String> categories = new TreeMap<>(KEY_ORDER);
    messages.forEach(m -> categories.putIfAbsent(UpstreamKey.of(m), m.category()));
    SharedSessionContractImplementor session =
        entityManager.unwrap(SharedSessionContractImplementor.class);
    BeforeExecutionGenerator ids =
        (BeforeExecutionGenerator)
            session
                .getFactory()
                .getMappingMetamodel()
                .getEntityDescriptor(DedupRecord.class)
                .getGenerator();
    // Ids first: fetching a block of them is a statement of Hibernate's own, after which it may
    // release the connection handle that the batch below would still be using.
    List<Object> idsInKeyOrder = new ArrayList<>(categories.size());
    for (int i = 0; i < categories.size(); i++) {
      idsInKeyOrder.add(ids.generate(session, null, null, EventType.INSERT));
    }
    return session.doReturningWork(
        connection -> insert(connection).record(connection, categories, at, idsInKeyOrder));
  }

  /**
   * Records the message unless a delivery of it has committed, here or on another instance, with
   * the statement of {@link #recordNew}: a copy that another transaction is recording at the same
   * moment is waited for and then counts as delivered before, not as a failure.
   *
   * @return whether it was recorded now
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean recordIfNew(UpstreamMessage message, Instant at) {
    return !recordNew(List.of(message), at).isEmpty();
  }

  /**
   * The id of the message's record, if it has one: which delivery attempt wrote it, for an attempt
   * whose commit's answer was lost ({@link InDoubtCommits}).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Optional<Object> recordIdOf(UpstreamMessage message) {
    return entityManager
        .createQuery("select r.id from DedupRecord r where r.keyDigest = :digest", Object.class)
        .setParameter("digest", UpstreamKey.of(message).digest())
        .getResultStream()
        .findFirst();
  }

  /** Deletes the message's record: an operator replays it as a new message. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void forget(UpstreamMessage message) {
    entityManager
        .createQuery("delete from DedupRecord r where r.keyDigest = :digest")
        .setParameter("digest", UpstreamKey.of(message).digest())
        .executeUpdate();
  }

  private DedupInsert insert(Connection connection) throws SQLException {
    DedupInsert known = insert;
    if (known == null) {
      known = DedupInsert.of(SupportedDatabase.of(connection));
      insert = known;
    }
    return known;
  }
}
