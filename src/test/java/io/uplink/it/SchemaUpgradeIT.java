package io.uplink.it;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** {@link SchemaUpgradeChecks} on the embedded default, an H2 file. */
@RunAsClient
class SchemaUpgradeIT extends SchemaUpgradeChecks {

  @Deployment(testable = false)
  static WebArchive deployment() throws IOException, SQLException {
    emulator = startEmulator(Duration.ofSeconds(2));
    Path database =
        Path.of("target", "it-db", UUID.randomUUID().toString(), "uplink").toAbsolutePath();
    String url = "jdbc:h2:file:" + database + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    try (Connection connection = DriverManager.getConnection(url, "uplink", "uplink")) {
      createVersion1(
          connection, "clob", "next value for %s", "dateadd(hour, 1, current_timestamp)");
    }
    return GatewayDeployment.of(emulator, Map.of("uplink.datasource.url", url));
  }
}
