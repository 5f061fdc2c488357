package io.uplink.it;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link SchemaUpgradeChecks} on PostgreSQL (an embedded server unless {@value
 * PostgreSqlServer#EXISTING} names one), where version 1's check constraint on the outbox status
 * has the name PostgreSQL gave it.
 */
@RunAsClient
class SchemaUpgradePostgreSqlIT extends SchemaUpgradeChecks {

  private static final String DATABASE = "uplink_upgrade_" + ProcessHandle.current().pid();

  private static PostgreSqlServer postgresql;

  @Deployment(testable = false)
  static WebArchive deployment() throws IOException, SQLException, InterruptedException {
    emulator = startEmulator(Duration.ofSeconds(2));
    postgresql =
        PostgreSqlServer.start(Path.of("target", "schema-upgrade-postgresql").toAbsolutePath());
    postgresql.createDatabase(DATABASE);
    try (Connection connection = postgresql.connect(DATABASE)) {
      createVersion1(connection, "text", "nextval('%s')", "current_timestamp + interval '1 hour'");
    }
    return GatewayDeployment.of(
        emulator,
        Map.of(
            "uplink.datasource.class-name", "org.postgresql.ds.PGSimpleDataSource",
            "uplink.datasource.url", postgresql.url(DATABASE),
            "uplink.datasource.user", postgresql.user()));
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (postgresql != null) {
      postgresql.dropDatabase(DATABASE);
      postgresql.close();
    }
  }
}
