package io.uplink.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.uplink.it.PostgreSqlServer;
import io.uplink.schema.KeyDigest;
import io.uplink.schema.SchemaMigration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The statement that records upstream messages and tells which were new, on real H2 and PostgreSQL
 * databases given Uplink's schema by its migrations: new keys are recorded, existing ones are
 * reported and left alone, and on PostgreSQL a key another transaction is recording waits for it.
 */
class DedupInsertIT {

  private static final String SENDER_ID = "1234";
  private static final String DEVICE = "device-token";

  private static final AtomicLong NEXT_ID = new AtomicLong();

  private static PostgreSqlServer postgresql;

  @BeforeAll
  static void startPostgreSql() throws Exception {
    postgresql =
        PostgreSqlServer.start(Path.of("target", "dedup-insert-postgresql").toAbsolutePath());
    postgresql.dropDatabase("dedup_insert");
    postgresql.createDatabase("dedup_insert");
    SchemaMigration.flyway(postgresql.dataSource("dedup_insert")).migrate();
  }

  @AfterAll
  static void stopPostgreSql() throws Exception {
    if (postgresql != null) {
      postgresql.close();
    }
  }

  @Test
  void h2RecordsNewKeysAndReportsExistingOnes() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:dedup;DB_CLOSE_DELAY=-1");
    SchemaMigration.flyway(h2).migrate();
    try (Connection connection = h2.getConnection()) {
      recordsNewKeysAndReportsExistingOnes(connection, DedupInsert.H2);
    }
  }

  @Test
  void postgreSqlRecordsNewKeysAndReportsExistingOnes() throws Exception {
    try (Connection connection = postgresql.connect("dedup_insert")) {
      recordsNewKeysAndReportsExistingOnes(connection, DedupInsert.POSTGRESQL);
    }
  }

  /**
   * Two instances receive the same message (a redelivery after a takeover): the second waits for
   * the first's transaction and skips the key if it committed, records it if it rolled back.
   */
  @Test
  void postgreSqlWaitsForAnotherTransactionRecordingTheSameKey() throws Exception {
    try (Connection first = postgresql.connect("dedup_insert");
        Connection second = postgresql.connect("dedup_insert")) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      for (boolean firstCommits : List.of(true, false)) {
        String id = "race-" + firstCommits;
        assertArrayEquals(new int[] {1}, insert(first, DedupInsert.POSTGRESQL, id));
        CompletableFuture<int[]> waiting =
            CompletableFuture.supplyAsync(() -> insertUnchecked(second, id));
        awaitLockWait();
        assertFalse(waiting.isDone(), "the second insert waits for the first transaction");
        if (firstCommits) {
          first.commit();
        } else {
          first.rollback();
        }
        assertArrayEquals(new int[] {firstCommits ? 0 : 1}, waiting.get(30, TimeUnit.SECONDS));
        second.commit();
        assertEquals(1, count(second, id));
      }
    }
  }

  /**
   * With {@code reWriteBatchedInserts=true} the driver sends a batch as one multi-row insert and
   * tells no counts; the records themselves still tell which keys this batch wrote.
   */
  @Test
  void postgreSqlWithRewrittenBatchesStillTellsWhichKeysWereNew() throws Exception {
    PGSimpleDataSource rewriting = (PGSimpleDataSource) postgresql.dataSource("dedup_insert");
    rewriting.setReWriteBatchedInserts(true);
    try (Connection connection = rewriting.getConnection()) {
      assertArrayEquals(
          new int[] {Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO},
          insert(connection, DedupInsert.POSTGRESQL, "rewritten-0", "rewritten-1"),
          "the driver hides the counts");

      assertEquals(
          Set.of(key("rewritten-2"), key("rewritten-3")),
          record(connection, "rewritten-1", "rewritten-2", "rewritten-0", "rewritten-3"));
      assertEquals(Set.of(), record(connection, "rewritten-3"));
    }
  }

  /** {@link DedupInsert#record} for these message ids, with ids of their own. */
  private static Set<UpstreamKey> record(Connection connection, String... messageIds)
      throws SQLException {
    Map<UpstreamKey, String> categories = new LinkedHashMap<>();
    List<Object> ids = new ArrayList<>();
    for (String messageId : messageIds) {
      categories.put(key(messageId), "com.example");
      ids.add(NEXT_ID.incrementAndGet());
    }
    return DedupInsert.POSTGRESQL.record(connection, categories, Instant.now(), ids).keySet();
  }

  private static UpstreamKey key(String messageId) {
    return new UpstreamKey(SENDER_ID, DEVICE, messageId);
  }

  private static void recordsNewKeysAndReportsExistingOnes(
      Connection connection, DedupInsert insert) throws Exception {
    assertArrayEquals(new int[] {1, 1, 1}, insert(connection, insert, "m-1", "m-2", "m-3"));
    assertArrayEquals(new int[] {0, 1, 0}, insert(connection, insert, "m-1", "m-4", "m-3"));

    for (String id : List.of("m-1", "m-2", "m-3", "m-4")) {
      assertEquals(1, count(connection, id), id);
    }
    try (Statement statement = connection.createStatement();
        ResultSet ids =
            statement.executeQuery("select count(distinct id), count(*) from uplink_received")) {
      ids.next();
      assertEquals(ids.getLong(2), ids.getLong(1), "every record has an id of its own");
    }
  }

  private static int[] insert(Connection connection, DedupInsert insert, String... messageIds)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert.sql())) {
      for (String messageId : messageIds) {
        statement.setLong(1, NEXT_ID.incrementAndGet());
        statement.setBytes(2, KeyDigest.of(SENDER_ID, DEVICE, messageId));
        statement.setString(3, SENDER_ID);
        statement.setString(4, DEVICE);
        statement.setString(5, messageId);
        statement.setString(6, "com.example");
        statement.setObject(7, OffsetDateTime.now(ZoneOffset.UTC));
        statement.addBatch();
      }
      return statement.executeBatch();
    }
  }

  private static int[] insertUnchecked(Connection connection, String messageId) {
    try {
      return insert(connection, DedupInsert.POSTGRESQL, messageId);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(Connection connection, String messageId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("select count(*) from uplink_received where message_id = ?")) {
      statement.setString(1, messageId);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** Waits until PostgreSQL shows a session waiting for a lock: the second insert blocked. */
  private static void awaitLockWait() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection separate = postgresql.connect("dedup_insert");
        PreparedStatement waits =
            separate.prepareStatement(
                "select count(*) from pg_stat_activity"
                    + " where datname = 'dedup_insert' and wait_event_type = 'Lock'")) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rows = waits.executeQuery()) {
          rows.next();
          if (rows.getLong(1) > 0) {
            return;
          }
        }
        Thread.sleep(50);
      }
    }
    throw new AssertionError("no session waited for the first transaction's record");
  }
}
