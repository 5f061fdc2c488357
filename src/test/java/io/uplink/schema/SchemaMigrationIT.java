package io.uplink.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.it.PostgreSqlServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migrations that cannot half-finish, on real H2 and PostgreSQL databases: migration 4 (the
 * de-duplication key digest) runs again after a process died in its fill, and after it finished
 * without its history entry (on H2 each DDL statement commits by itself); and an instance waits for
 * another's migration on PostgreSQL without Flyway's limit on lock retries.
 */
class SchemaMigrationIT {

  private static final List<String> MESSAGE_IDS = List.of("m-1", "m-2", "m-3");

  /** The SQL state of a unique key violation, on H2 and PostgreSQL alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  private static PostgreSqlServer postgresql;

  @BeforeAll
  static void startPostgreSql() throws Exception {
    postgresql = PostgreSqlServer.start(Path.of("target", "schema-migration").toAbsolutePath());
  }

  @AfterAll
  static void stopPostgreSql() throws Exception {
    if (postgresql != null) {
      postgresql.close();
    }
  }

  @Test
  void h2RunsMigration4AgainAfterAKillDuringItsFillOrBeforeItsHistoryEntry() throws Exception {
    runsMigration4Again(h2("killed-in-fill"), "varbinary(32)", true);
    runsMigration4Again(h2("killed-before-history"), "varbinary(32)", false);
  }

  @Test
  void postgreSqlRunsMigration4AgainAfterAKillDuringItsFillOrBeforeItsHistoryEntry()
      throws Exception {
    runsMigration4Again(postgreSql("killed_in_fill"), "bytea", true);
    runsMigration4Again(postgreSql("killed_before_history"), "bytea", false);
  }

  /** Migration 2 finished without its history entry: the next start runs it again. */
  @Test
  void migration2RunsAgainOnBothDatabases() throws Exception {
    for (DataSource database : List.of(h2("migration-2"), postgreSql("migration_2"))) {
      Flyway configured = SchemaMigration.flyway(database);
      Flyway.configure().configuration(configured.getConfiguration()).target("2").load().migrate();
      try (Connection connection = database.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("delete from \"uplink_schema_history\" where \"version\" = '2'");
      }

      configured.migrate();

      assertEquals(0, configured.info().pending().length);
    }
  }

  /**
   * While one instance migrates (held inside its first migration, with Flyway's lock), another
   * waits instead of failing, and finishes once the first did; Flyway's default would give up after
   * 50 tries a second apart.
   */
  @Test
  void postgreSqlWaitsForAnotherInstancesMigration() throws Exception {
    DataSource database = postgreSql("waits_for_lock");
    Flyway flyway = SchemaMigration.flyway(database);
    assertEquals(-1, flyway.getConfiguration().getLockRetryCount(), "no limit on lock retries");
    CountDownLatch migrating = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Flyway held =
        Flyway.configure()
            .configuration(flyway.getConfiguration())
            .callbacks(new HoldingCallback(migrating, release))
            .load();
    CompletableFuture<Void> first = CompletableFuture.runAsync(held::migrate);
    try {
      assertTrue(migrating.await(60, TimeUnit.SECONDS), "the first instance migrating");
      CompletableFuture<Void> second = CompletableFuture.runAsync(flyway::migrate);
      Thread.sleep(3_000);
      assertFalse(second.isDone(), "the second waits for the first's lock: " + second);
      release.countDown();
      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
    } finally {
      release.countDown();
    }
    assertEquals(0, flyway.info().pending().length, "every migration applied once");
  }

  /** Holds the first migration of a run until released: an instance in a long migration. */
  private record HoldingCallback(CountDownLatch migrating, CountDownLatch release)
      implements Callback {

    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true;
    }

    @Override
    public void handle(Event event, Context context) {
      migrating.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public String getCallbackName() {
      return "holding";
    }
  }

  /**
   * Brings a database to version 3 with three de-duplication records, then leaves it as a process
   * killed in migration 4 would: during the fill (the column added, one record filled), or after
   * the whole migration but before its history entry. The next migration must finish it.
   */
  private static void runsMigration4Again(DataSource database, String binary, boolean inFill)
      throws Exception {
    Flyway configured = SchemaMigration.flyway(database);
    Flyway.configure().configuration(configured.getConfiguration()).target("3").load().migrate();
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      insertVersion3Records(connection);
      if (inFill) {
        statement.execute("alter table uplink_received add column key_digest " + binary);
        try (PreparedStatement fill =
            connection.prepareStatement(
                "update uplink_received set key_digest = ? where message_id = ?")) {
          fill.setBytes(1, KeyDigest.of("1234", "device", "m-1"));
          fill.setString(2, "m-1");
          fill.executeUpdate();
        }
      } else {
        Flyway.configure()
            .configuration(configured.getConfiguration())
            .target("4")
            .load()
            .migrate();
        statement.execute("delete from \"uplink_schema_history\" where \"version\" = '4'");
      }
    }

    configured.migrate();

    try (Connection connection = database.getConnection()) {
      for (String messageId : MESSAGE_IDS) {
        assertArrayEquals(
            KeyDigest.of("1234", "device", messageId), digestOf(connection, messageId), messageId);
      }
      SQLException refused =
          assertThrows(
              SQLException.class,
              () ->
                  insertWithDigest(connection, 99, "other", KeyDigest.of("1234", "device", "m-1")),
              "the digest is unique again: another record with m-1's digest is refused");
      assertEquals(UNIQUE_VIOLATION, refused.getSQLState(), refused.getMessage());
      insertWithDigest(connection, 100, "m-1", KeyDigest.of("1234", "device", "m-1 again"));
    }
  }

  private static void insertVersion3Records(Connection connection) throws SQLException {
    for (int i = 0; i < MESSAGE_IDS.size(); i++) {
      insert(connection, i + 1, MESSAGE_IDS.get(i));
    }
  }

  private static void insert(Connection connection, long id, String messageId) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into uplink_received (id, sender_id, device, message_id, category,"
                + " received_at) values (?, '1234', 'device', ?, 'com.example', ?)")) {
      insert.setLong(1, id);
      insert.setString(2, messageId);
      insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
      insert.executeUpdate();
    }
  }

  private static void insertWithDigest(
      Connection connection, long id, String messageId, byte[] digest) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into uplink_received (id, key_digest, sender_id, device, message_id, category,"
                + " received_at) values (?, ?, '1234', 'device', ?, 'com.example', ?)")) {
      insert.setLong(1, id);
      insert.setBytes(2, digest);
      insert.setString(3, messageId);
      insert.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
      insert.executeUpdate();
    }
  }

  private static byte[] digestOf(Connection connection, String messageId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select key_digest from uplink_received where message_id = ? and id < 99")) {
      select.setString(1, messageId);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getBytes(1);
      }
    }
  }

  private static DataSource h2(String name) {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    return h2;
  }

  private static DataSource postgreSql(String name) throws SQLException {
    postgresql.dropDatabase(name);
    postgresql.createDatabase(name);
    return postgresql.dataSource(name);
  }
}
