package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.Upstream;
import io.uplink.it.app.KillPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kills the gateway at a named moment instead of a random one (those are {@link
 * CrashRecoveryIT}'s): right after a delivery transaction committed and before the gateway acked
 * its messages, with a downstream reply written in that transaction ({@link KillPoint}). The outbox
 * hears of the commit before the observer that halts does, so the reply is usually on the wire,
 * even answered, with its answer not recorded: after the restart it is sent again, as at-least-once
 * allows. After the restart CCS redelivers what was not acked: each such message must be acked as a
 * duplicate, without its observers firing again (the killing observer would kill the server a
 * second time), and the reply must end acked. On H2 and on PostgreSQL.
 */
class KillPointsIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String APP = "com.example.app";
  private static final String DEVICE = "kill-point-device-0123456789abcdef";
  private static final List<String> JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");

  private HeavyTestLock heavy;
  private CcsEmulator emulator;
  private PostgreSqlServer postgresql;
  private String database;
  private PayaraMicroProcess server;

  @BeforeEach
  void startTheEmulator() throws Exception {
    heavy = HeavyTestLock.acquire();
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      EmulatorVerdict.CLEAN.assertNothingAddedBy(emulator);
    } finally {
      TestParts.close(server, emulator);
      try {
        PostgreSqlServer.dropAndClose(postgresql, database);
      } finally {
        heavy.close();
      }
    }
  }

  @Test
  void onH2AMessageCommittedButNotAckedIsAckedAsADuplicateAfterTheRestart() throws Exception {
    Path directory = Path.of("target", "kill-points", "h2").toAbsolutePath();
    server =
        new PayaraMicroProcess(
            GatewayDeployment.exported(directory, emulator, Map.of()),
            directory.resolve("server"),
            JVM);
    killAfterTheDeliveryCommitAndRestart();
  }

  @Test
  void onPostgreSqlAMessageCommittedButNotAckedIsAckedAsADuplicateAfterTheRestart()
      throws Exception {
    Path directory = Path.of("target", "kill-points", "postgresql").toAbsolutePath();
    postgresql = PostgreSqlServer.start(directory);
    database = "uplink_it_" + UUID.randomUUID().toString().replace("-", "");
    postgresql.createDatabase(database);
    Path properties =
        postgresql.payaraProperties(database, directory.resolve("postgresql.properties"));
    server =
        new PayaraMicroProcess(
            GatewayDeployment.exported(directory, emulator, Map.of()),
            directory.resolve("server"),
            JVM,
            List.of("--systemproperties", properties.toString()));
    killAfterTheDeliveryCommitAndRestart();
  }

  private void killAfterTheDeliveryCommitAndRestart() throws Exception {
    server.start();
    emulator.awaitConnections(SENDER_ID, 2, WAIT);
    List<Upstream> before = inject("before", 20);
    emulator.awaitAcked(before, WAIT);

    Upstream fatal =
        new Upstream(
            DEVICE, APP, "halt-after-commit", Map.of("halt", "after-commit", "replies", "1"));
    emulator.inject(SENDER_ID, fatal);
    assertEquals(KillPoint.HALTED, server.awaitExit(WAIT), "halted after the delivery commit");
    assertEquals(List.of(), emulator.validAcksFor(fatal.messageId()), "not acked before the kill");

    server.start();
    Probe probe = new Probe(server.application().toURL());
    emulator.awaitAcked(List.of(fatal), WAIT);
    assertEquals(
        1,
        probe.delivered(fatal.messageId()).size(),
        "delivered once: by the commit before the kill");
    double duplicates =
        PrometheusText.parse(probe.metrics())
            .sum("uplink_upstream_duplicates_total", Map.of("sender", SENDER_ID));
    assertTrue(duplicates >= 1, "its redelivery acked as a duplicate: " + duplicates);
    String reply = fatal.messageId() + "-reply-0";
    emulator.await(
        () -> "acked".equals(probe.messageState(reply)),
        WAIT,
        "the reply written before the kill sent and acked after it");
    List<Upstream> after = inject("after", 20);
    emulator.awaitAcked(after, WAIT);
    assertTrue(
        probe.deliveriesPerMessageId().values().stream().allMatch(count -> count == 1),
        "no message delivered twice");
  }

  private List<Upstream> inject(String prefix, int count) {
    List<Upstream> messages =
        IntStream.range(0, count)
            .mapToObj(i -> new Upstream(DEVICE, APP, prefix + "-" + i, Map.of()))
            .toList();
    messages.forEach(m -> emulator.inject(SENDER_ID, m));
    return messages;
  }
}
