package io.uplink.schema;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.SessionFactory;

/**
 * Brings Uplink's tables to the version this build expects before any of Uplink's code touches them
 * at start (only Hibernate's {@code update} of the application's tables, and of Uplink's sequences,
 * runs earlier, as the persistence unit starts), then has Hibernate validate them against the
 * entities, so that a database that does not match stops the deployment with the reason instead of
 * failing messages later. A database created before migrations existed (by Hibernate's {@code
 * update}) is taken as version 1 and upgraded from there; several instances starting at once on
 * PostgreSQL take turns (Flyway's lock, waited for without a limit). Runs once, first of the
 * start-up observers.
 */
@ApplicationScoped
public class SchemaMigration {

  private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

  /**
   * Flyway's retries for its lock, negative for no limit: an instance starting while another
   * migrates a large table (migration 4 rewrites every de-duplication record) waits for it, however
   * long, instead of failing its deployment after Flyway's default 50 one-second tries. A lock
   * whose holder died is released with its session.
   */
  private static final int WAIT_FOR_LOCK_FOREVER = -1;

  /** The table that existed in every schema created before migrations. */
  private static final String VERSION_1_TABLE = "uplink_outbox";

  @Resource(lookup = "java:app/jdbc/uplink")
  DataSource dataSource;

  @PersistenceUnit(unitName = "uplink")
  EntityManagerFactory entityManagerFactory;

  void migrate(
      @Observes
          @Priority(Interceptor.Priority.PLATFORM_BEFORE)
          @Initialized(ApplicationScoped.class)
          Object applicationStarted)
      throws SQLException {
    Flyway flyway = flyway(dataSource);
    LOG.info("Migrating Uplink's tables; another instance migrating them now is waited for");
    MigrateResult result;
    try {
      result = flyway.migrate();
    } catch (FlywayException first) {
      LOG.warning(
          "Migrating Uplink's tables failed ("
              + first.getMessage()
              + "); trying once more, as another instance starting at the same time may have been"
              + " creating the same sequences");
      result = flyway.migrate();
    }
    LOG.info(
        "Uplink's tables at schema version "
            + (result.targetSchemaVersion != null
                ? result.targetSchemaVersion
                : result.initialSchemaVersion)
            + " ("
            + result.migrationsExecuted
            + " migration(s) applied now)");
    entityManagerFactory.unwrap(SessionFactory.class).getSchemaManager().validateMappedObjects();
  }

  /**
   * Flyway set up for Uplink's tables on the database behind the data source, which it looks at
   * first: also what a test uses to give a bare database Uplink's schema.
   */
  public static Flyway flyway(DataSource dataSource) throws SQLException {
    Database database = Database.of(dataSource);
    return Flyway.configure(SchemaMigration.class.getClassLoader())
        .dataSource(dataSource)
        .table(UplinkTables.PREFIX + "schema_history")
        .locations("classpath:db/uplink")
        .placeholders(Map.of("long_text", database.longText()))
        .javaMigrations(new OutboxCancelledStatus(), new ReceivedKeyDigest())
        .lockRetryCount(WAIT_FOR_LOCK_FOREVER)
        .baselineOnMigrate(true)
        .baselineVersion(database.createdBeforeMigrations() ? "1" : "0")
        .baselineDescription("schema made by Hibernate update before migrations")
        .load();
  }

  /**
   * What the migration needs to know of the database before it starts.
   *
   * @param longText its type for unbounded text, the one Hibernate maps long strings to
   * @param createdBeforeMigrations whether Uplink's tables exist without a migration history:
   *     Hibernate's {@code update} made them. (Flyway baselines only a schema that holds tables,
   *     and this one may hold just the application's, which Hibernate creates before this runs:
   *     they must not make Uplink's version 1 count as done.)
   */
  private record Database(String longText, boolean createdBeforeMigrations) {

    static Database of(DataSource dataSource) throws SQLException {
      try (Connection connection = dataSource.getConnection()) {
        DatabaseMetaData metaData = connection.getMetaData();
        return new Database(
            SupportedDatabase.of(connection).longText(), holdsVersion1(connection, metaData));
      }
    }

    private static boolean holdsVersion1(Connection connection, DatabaseMetaData metaData)
        throws SQLException {
      try (ResultSet tables =
          metaData.getTables(connection.getCatalog(), connection.getSchema(), "%", null)) {
        while (tables.next()) {
          if (VERSION_1_TABLE.equalsIgnoreCase(tables.getString("TABLE_NAME"))) {
            return true;
          }
        }
        return false;
      }
    }
  }
}
