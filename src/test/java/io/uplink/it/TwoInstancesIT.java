package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.Upstream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same WAR as two Payara Micro instances sharing one PostgreSQL database (127.0.0.1:5432, a
 * fresh database per run). CCS spreads a sender's messages and its redeliveries over the
 * connections of both; one instance is killed under load, and the survivor gets what the dead one
 * left unacked. Every message is delivered exactly once, because the de-duplication record is
 * shared.
 */
class TwoInstancesIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  private final List<Upstream> injected = new CopyOnWriteArrayList<>();
  private final String database = "uplink_it_" + UUID.randomUUID().toString().replace("-", "");
  private CcsEmulator emulator;
  private PayaraMicroProcess first;
  private PayaraMicroProcess second;

  @BeforeEach
  void startTwoInstances() throws Exception {
    try (Connection admin = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement statement = admin.createStatement()) {
      statement.execute("create database " + database);
    }
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(1));
    Path directory = Path.of("target", "two-instances").toAbsolutePath();
    directory.toFile().mkdirs();
    Path war = directory.resolve("uplink.war");
    GatewayDeployment.of(
            emulator,
            Map.of(
                "uplink.datasource.class-name", "org.postgresql.ds.PGSimpleDataSource",
                "uplink.datasource.url", POSTGRES + database,
                "uplink.datasource.user", "postgres",
                "uplink.datasource.password", ""))
        .as(ZipExporter.class)
        .exportTo(war.toFile(), true);
    first = new PayaraMicroProcess(war, directory.resolve("first"));
    second = new PayaraMicroProcess(war, directory.resolve("second"));
    first.start();
    second.start();
    emulator.awaitConnections(SENDER_ID, 4, WAIT);
  }

  @AfterEach
  void stop() throws Exception {
    first.close();
    second.close();
    emulator.close();
    try (Connection admin = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement statement = admin.createStatement()) {
      statement.execute("drop database if exists " + database + " with (force)");
    }
  }

  @Test
  void messagesSpreadOverBothInstancesAreDeliveredOnceAndTheSurvivorTakesOverTheUnacked()
      throws Exception {
    inject(0, 300);
    emulator.await(() -> acked() >= 100, WAIT, "the first hundred acked");
    first.kill();
    inject(300, 300);
    redeliverAckedOnes(50);

    emulator.awaitAllAcked(WAIT);
    Map<String, Integer> deliveries = deliveriesPerMessageId();
    Set<String> ids = injected.stream().map(Upstream::messageId).collect(Collectors.toSet());
    Set<String> missing = new HashSet<>(ids);
    missing.removeAll(deliveries.keySet());
    assertEquals(Set.of(), missing, "messages missing from the shared table");
    assertTrue(
        deliveries.values().stream().allMatch(count -> count == 1),
        "delivered twice: "
            + deliveries.entrySet().stream().filter(e -> e.getValue() > 1).toList());
    assertEquals(
        2, emulator.openConnections(SENDER_ID).size(), "the survivor's two connections remain");
  }

  private void inject(int from, int count) {
    for (int i = from; i < from + count; i++) {
      Upstream message =
          new Upstream(
              "two-instances-device-" + (i % 20) + "-0123456789abcdef",
              "com.example.app",
              "pg-" + i,
              Map.of());
      injected.add(message);
      emulator.inject(SENDER_ID, message);
    }
  }

  /**
   * CCS delivers some messages again that were acked (by either instance); they now land on the
   * survivor, which must recognise them from the shared table.
   */
  private void redeliverAckedOnes(int count) {
    injected.stream()
        .limit(count * 2L)
        .filter(m -> !emulator.validAcksFor(m.messageId()).isEmpty())
        .limit(count)
        .forEach(this::injectAgainUnlessInFlight);
  }

  private void injectAgainUnlessInFlight(Upstream message) {
    try {
      emulator.inject(SENDER_ID, message);
    } catch (IllegalArgumentException stillInFlight) {
      // CCS is still redelivering it by itself, which tests the same thing
    }
  }

  private long acked() {
    return injected.stream().filter(m -> !emulator.validAcksFor(m.messageId()).isEmpty()).count();
  }

  private Map<String, Integer> deliveriesPerMessageId() throws Exception {
    Map<String, Integer> deliveries = new HashMap<>();
    try (Connection connection = DriverManager.getConnection(POSTGRES + database, "postgres", "");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select message_id, count(*) from it_delivered group by message_id")) {
      while (rows.next()) {
        deliveries.put(rows.getString(1), rows.getInt(2));
      }
    }
    return deliveries;
  }
}
