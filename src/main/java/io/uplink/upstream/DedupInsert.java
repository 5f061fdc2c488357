package io.uplink.upstream;

import io.uplink.schema.KeyDigest;
import io.uplink.schema.SupportedDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statement that records one upstream message unless its de-duplication record exists, and
 * tells which by its update count (1: recorded now, 0: recorded before): H2's standard {@code
 * MERGE}, PostgreSQL's {@code INSERT … ON CONFLICT DO NOTHING}, which waits for another instance's
 * uncommitted record of the same key and then skips it if that committed. Both find the key by its
 * {@link KeyDigest}. Parameters: id, key digest, sender ID, device, message id, category, time
 * received. The id comes from Hibernate's generator of the entity, which takes a block of ids per
 * sequence call: a sequence call per row would cost H2 a store of its file every few dozen rows. A
 * driver that does not tell the counts (PostgreSQL's {@code reWriteBatchedInserts=true} turns a
 * batch into multi-row inserts and answers {@link Statement#SUCCESS_NO_INFO}) is answered by the
 * records themselves: a record holding an id this batch gave was written by it.
 */
enum DedupInsert {
  H2(
      """
      merge into uplink_received r
      using (values (cast(? as bigint), cast(? as varbinary))) k (id, key_digest)
      on r.key_digest = k.key_digest
      when not matched then
        insert (id, key_digest, sender_id, device, message_id, category, received_at)
        values (k.id, k.key_digest, ?, ?, ?, ?, ?)
      """),
  POSTGRESQL(
      """
      insert into uplink_received
        (id, key_digest, sender_id, device, message_id, category, received_at)
      values (?, ?, ?, ?, ?, ?, ?)
      on conflict (key_digest) do nothing
      """);

  private final String sql;

  DedupInsert(String sql) {
    this.sql = sql;
  }

  String sql() {
    return sql;
  }

  /**
   * Records each key that has no record yet, as one JDBC batch on the connection.
   *
   * @param categories each key with its message's category, in the order to insert them
   * @param ids an id for each key, in the same order
   * @return the keys recorded now, each with the id its record holds (a mutable map)
   */
  Map<UpstreamKey, Object> record(
      Connection connection, Map<UpstreamKey, String> categories, Instant at, List<Object> ids)
      throws SQLException {
    OffsetDateTime receivedAt = at.atOffset(ZoneOffset.UTC);
    int[] counts;
    try (PreparedStatement statement = connection.prepareStatement(sql())) {
      int row = 0;
      for (Map.Entry<UpstreamKey, String> entry : categories.entrySet()) {
        UpstreamKey key = entry.getKey();
        statement.setObject(1, ids.get(row++));
        statement.setBytes(2, key.digest());
        statement.setString(3, key.senderId());
        statement.setString(4, key.device());
        statement.setString(5, key.messageId());
        statement.setString(6, entry.getValue());
        statement.setObject(7, receivedAt);
        statement.addBatch();
      }
      counts = statement.executeBatch();
    }
    Map<UpstreamKey, Object> recorded = new HashMap<>();
    int row = 0;
    boolean unknown = false;
    for (UpstreamKey key : categories.keySet()) {
      Object id = ids.get(row);
      int count = counts[row++];
      if (count == 1) {
        recorded.put(key, id);
      } else if (count == Statement.SUCCESS_NO_INFO) {
        unknown = true;
      } else if (count != 0) {
        throw new IllegalStateException(
            "The database did not tell whether it recorded an upstream message: " + count);
      }
    }
    return unknown ? readBack(connection, categories.keySet(), ids) : recorded;
  }

  /** The keys whose record holds the id this batch gave it, with that id. */
  private static Map<UpstreamKey, Object> readBack(
      Connection connection, Set<UpstreamKey> keys, List<Object> ids) throws SQLException {
    Map<Object, UpstreamKey> keysById = new HashMap<>();
    int row = 0;
    for (UpstreamKey key : keys) {
      keysById.put(ids.get(row++), key);
    }
    Map<UpstreamKey, Object> recorded = new HashMap<>();
    for (Object id : idsPresent(connection, ids)) {
      recorded.put(keysById.get(id), id);
    }
    return recorded;
  }

  /** Which of these record ids exist. */
  private static Set<Object> idsPresent(Connection connection, List<Object> ids)
      throws SQLException {
    String placeholders = String.join(",", Collections.nCopies(ids.size(), "?"));
    try (PreparedStatement select =
        connection.prepareStatement(
            "select id from uplink_received where id in (" + placeholders + ")")) {
      int parameter = 1;
      for (Object id : ids) {
        select.setObject(parameter++, id);
      }
      Set<Object> present = new HashSet<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          present.add(rows.getObject(1));
        }
      }
      return present;
    }
  }

  /** The statement for the database. */
  static DedupInsert of(SupportedDatabase database) {
    return switch (database) {
      case H2 -> H2;
      case POSTGRESQL -> POSTGRESQL;
    };
  }
}
