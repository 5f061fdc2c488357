package io.uplink.it;

import io.uplink.emulator.CcsEmulator;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds what the integration tests deploy: the WAR the build produced, unchanged, plus the test
 * application (package {@code io.uplink.it.app}) and a MicroProfile Config file that points the
 * gateway at the test's emulator and at a fresh H2 database of its own.
 */
final class GatewayDeployment {

  static final String SENDER_ID = "1234567890";

  /**
   * The default sender's key. The gateway reads it from the password alias that
   * src/test/payara/post-boot-commands.asadmin creates, never from the deployment's config file.
   */
  static final String SERVER_KEY = "AIzaSyIntegrationTestServerKey0000000";

  private static final String CONFIG = "WEB-INF/classes/META-INF/microprofile-config.properties";

  private GatewayDeployment() {}

  static WebArchive of(CcsEmulator emulator, Map<String, String> settings) {
    return of(emulator, settings, "io.uplink.it.app");
  }

  /** The same with another application package beside the gateway (the benchmark's). */
  static WebArchive of(
      CcsEmulator emulator, Map<String, String> settings, String applicationPackage) {
    WebArchive war =
        pointedAt(
            new File(System.getProperty("uplink.it.war", "target/uplink.war")), emulator, settings);
    war.addPackage(applicationPackage);
    return war;
  }

  /**
   * Writes {@link #of(CcsEmulator, Map)} to {@code directory/uplink.war}, for tests that run Payara
   * Micro themselves ({@link PayaraMicroProcess}).
   *
   * @return the WAR's path
   */
  static Path exported(Path directory, CcsEmulator emulator, Map<String, String> settings)
      throws IOException {
    Files.createDirectories(directory);
    Path war = directory.resolve("uplink.war");
    of(emulator, settings).as(ZipExporter.class).exportTo(war.toFile(), true);
    return war;
  }

  /**
   * Any WAR that contains the gateway (Uplink's own, or an application's overlay of it) with its
   * MicroProfile Config file replaced by one for this emulator and a fresh database.
   */
  static WebArchive pointedAt(File warFile, CcsEmulator emulator, Map<String, String> settings) {
    awaitPreviousServerGone();
    WebArchive war =
        ShrinkWrap.create(ZipImporter.class, warFile.getName())
            .importFrom(warFile)
            .as(WebArchive.class);
    Properties config = new Properties();
    war.delete(CONFIG);
    config.putAll(baseSettings(emulator));
    config.putAll(settings);
    war.add(new StringAsset(toText(config)), CONFIG);
    return war;
  }

  /**
   * The managed container starts a new Payara Micro for every deployment, always with this test
   * JVM's JMX port ({@link ForkJmxPort}); the previous one may still hold it while it shuts down.
   * Waits until the port can be bound again, or fails after a minute.
   */
  static void awaitPreviousServerGone() {
    String reserved = System.getProperty("uplink.it.jmxPort");
    if (reserved == null) {
      return;
    }
    int port = Integer.parseInt(reserved);
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("JMX port " + port + " still in use after a minute", e);
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
      }
    }
  }

  private static Map<String, String> baseSettings(CcsEmulator emulator) {
    Path database =
        Path.of("target", "it-db", UUID.randomUUID().toString(), "uplink").toAbsolutePath();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("uplink.datasource.class-name", "org.h2.jdbcx.JdbcDataSource");
    settings.put(
        "uplink.datasource.url",
        "jdbc:h2:file:" + database + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    settings.put("uplink.datasource.user", "uplink");
    settings.put("uplink.datasource.password", "uplink");
    settings.put("uplink.ccs.host", "127.0.0.1");
    settings.put("uplink.ccs.port", String.valueOf(emulator.port()));
    settings.put("uplink.ccs.trust-store", emulator.trustStore().toAbsolutePath().toString());
    settings.put("uplink.ccs.trust-store-password", emulator.trustStorePassword());
    settings.put("uplink.ccs.sender-id", SENDER_ID);
    settings.put("uplink.ccs.connections", "2");
    settings.put("uplink.ccs.backoff-initial", "PT0.2S");
    settings.put("uplink.ccs.backoff-max", "PT5S");
    return settings;
  }

  private static String toText(Properties config) {
    StringBuilder text = new StringBuilder();
    config.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
    return text.toString();
  }

  private static String escape(Object value) {
    return value.toString().replace("\\", "\\\\");
  }
}
