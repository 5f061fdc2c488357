package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.Upstream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An upgrade with data in place: the gateway starts on a database whose Uplink tables Hibernate's
 * {@code update} made before migrations existed (version 1, with rows in them), takes it as version
 * 1, migrates it to the current version, validates it, and works with the rows it found: the
 * pending downstream message is sent, the de-duplication record still stops a redelivery, the dead
 * letter is listed, and a message can be cancelled (version 2's status). Each database has its own
 * test class, which builds the old database in its {@code @Deployment} method with {@link
 * #createVersion1}.
 */
abstract class SchemaUpgradeChecks extends GatewayIntegrationTest {

  static final String DEVICE = "upgrade-device-0123456789abcdef";
  static final String TOKEN = "upgrade-token-0123456789abcdef";

  /**
   * The message id of the de-duplication record made before the upgrade; not ASCII, so that the
   * digest the migration stores, from the column values it reads back, must match the gateway's for
   * the same message byte for byte.
   */
  static final String RECEIVED_BEFORE = "received-before-upgrade-é";

  /**
   * Creates version 1 as Uplink ships it (the schema Hibernate's update made) and puts a pending
   * downstream message, a de-duplication record and a dead letter in it.
   *
   * @param longText the database's type for unbounded text
   * @param nextValue the expression for a sequence's next value, {@code %s} standing for its name
   * @param inOneHour the expression for the time an hour from now
   */
  static void createVersion1(
      Connection connection, String longText, String nextValue, String inOneHour)
      throws IOException, SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : version1Statements(longText)) {
        statement.execute(sql);
      }
      statement.execute(
          "insert into uplink_outbox (id, accepted_at, expires_at, json, message_id, owner,"
              + " sender_id, status, target, target_key) values ("
              + nextValue.formatted("uplink_outbox_seq")
              + ", current_timestamp, "
              + inOneHour
              + ", '{\"to\":\""
              + TOKEN
              + "\",\"message_id\":\"before-upgrade\",\"data\":{\"k\":\"v\"}}',"
              + " 'before-upgrade', 'a-previous-run', '"
              + SENDER_ID
              + "', 'PENDING', 'upgrade…', '"
              + TOKEN
              + "')");
      statement.execute(
          "insert into uplink_received (id, category, sender_id, device, message_id, received_at)"
              + " values ("
              + nextValue.formatted("uplink_received_seq")
              + ", '"
              + APP
              + "', '"
              + SENDER_ID
              + "', '"
              + DEVICE
              + "', '"
              + RECEIVED_BEFORE
              + "', current_timestamp)");
      statement.execute(
          "insert into uplink_dead_letter (id, attempts, category, data_json, sender_id, device,"
              + " message_id, last_error, parked_at) values ("
              + nextValue.formatted("uplink_dead_letter_seq")
              + ", 5, '"
              + APP
              + "', '{\"a\":\"b\"}', '"
              + SENDER_ID
              + "', '"
              + DEVICE
              + "', 'parked-before-upgrade', 'boom', current_timestamp)");
    }
  }

  private static List<String> version1Statements(String longText) throws IOException {
    String script =
        Files.readAllLines(Path.of("src/main/resources/db/uplink/V1__baseline.sql")).stream()
            .filter(line -> !line.startsWith("--"))
            .collect(Collectors.joining("\n"))
            .replace("if not exists ", "")
            .replace("${long_text}", longText);
    return List.of(script.split(";")).stream()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  @Test
  void takesTheOldSchemaAsVersion1AndMigratesIt() {
    assertEquals(
        List.of("1", "2", "3", "4", "5", "6", "7"),
        probe.schemaVersions(),
        "baselined at 1, then 2 to 7 applied");
  }

  @Test
  void aMessagePendingBeforeTheUpgradeIsSentAfterIt() {
    emulator.await(
        () -> "acked".equals(probe.messageState("before-upgrade")), WAIT, "the old message acked");
    assertEquals(1, emulator.downstreamCount("before-upgrade"));
  }

  @Test
  void deDuplicationRecordsFromBeforeTheUpgradeStillStopRedeliveries() {
    emulator.inject(SENDER_ID, new Upstream(DEVICE, APP, RECEIVED_BEFORE, Map.of()));
    emulator.inject(SENDER_ID, new Upstream(DEVICE, APP, "received-after-upgrade", Map.of()));
    emulator.awaitAllAcked(WAIT);
    Map<String, Long> deliveries = probe.deliveriesPerMessageId();
    assertFalse(deliveries.containsKey(RECEIVED_BEFORE), "a duplicate: " + deliveries);
    assertEquals(1L, deliveries.get("received-after-upgrade"));
  }

  @Test
  void deadLettersFromBeforeTheUpgradeAreListed() {
    HttpResponse<String> listed = probe.admin("GET", "api/dead-letters", null);
    assertEquals(200, listed.statusCode());
    assertTrue(listed.body().contains("parked-before-upgrade"), listed.body());
  }

  @Test
  void aMessageCanBeCancelledOnTheUpgradedSchema() {
    emulator.holdAnswers();
    try {
      assertEquals(202, probe.accept("{\"to\":\"" + TOKEN + "\",\"message_id\":\"cancel-me\"}"));
      emulator.await(
          () -> emulator.downstreamCount("cancel-me") == 1, WAIT, "cancel-me written to CCS");
      HttpResponse<String> cancelled = probe.admin("DELETE", "api/messages/cancel-me", null);
      assertEquals(
          202, cancelled.statusCode(), "recorded, but already on its way: " + cancelled.body());
      assertTrue(cancelled.body().contains("\"state\":\"cancelled\""), cancelled.body());
    } finally {
      emulator.releaseAnswers();
    }
    emulator.await(
        () -> "acked".equals(probe.messageState("cancel-me")),
        WAIT,
        "written before the cancel, so CCS's ack still counts");
  }
}
