package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.Upstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A delivery whose commit happened but whose answer was lost: the gateway on PostgreSQL behind a
 * relay ({@link CommitAnswerDropper}) that breaks the connection at the answer to a delivery's
 * {@code COMMIT}. The gateway counts the attempt as failed and leaves its messages unacked; once it
 * finds, from the de-duplication record's id, that the attempt committed after all (at once, when
 * it delivers a failed batch message by message, or when CCS redelivers), it counts the messages
 * delivered, runs their {@code AFTER_SUCCESS} and {@code @ObservesAsync} observers and acks them.
 * Every message is then in the database once, acked once, and seen once by each kind of observer.
 */
class InDoubtCommitIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String APP = "com.example.app";

  private final String database = "uplink_it_" + UUID.randomUUID().toString().replace("-", "");
  private HeavyTestLock heavy;
  private PostgreSqlServer postgresql;
  private CommitAnswerDropper relay;
  private CcsEmulator emulator;
  private PayaraMicroProcess server;
  private Probe probe;

  @BeforeEach
  void startTheGatewayBehindTheRelay() throws Exception {
    heavy = HeavyTestLock.acquire();
    Path directory = Path.of("target", "in-doubt-commit").toAbsolutePath();
    postgresql = PostgreSqlServer.start(directory);
    postgresql.createDatabase(database);
    relay = CommitAnswerDropper.relayingTo(postgresql.port());
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(1));
    // Lease rounds, whose heartbeat also inserts, seldom enough not to meet the armed relay.
    Path war =
        GatewayDeployment.exported(
            directory,
            emulator,
            Map.of(
                "uplink.cluster.lease-duration",
                "PT90S",
                "uplink.cluster.renew-interval",
                "PT30S"));
    Path properties =
        postgresql.payaraPropertiesThrough(
            relay.port(),
            database,
            directory.resolve("postgresql.properties"),
            "&sslmode=disable&gssEncMode=disable");
    server =
        new PayaraMicroProcess(
            war,
            directory.resolve("server"),
            List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"),
            List.of("--systemproperties", properties.toString()));
    server.start();
    emulator.awaitConnections(SENDER_ID, 2, WAIT);
    probe = new Probe(server.application().toURL());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (emulator != null) {
        EmulatorVerdict.CLEAN.assertNothingAddedBy(emulator);
      }
    } finally {
      TestParts.close(server, emulator, relay);
      try {
        PostgreSqlServer.dropAndClose(postgresql, database);
      } finally {
        heavy.close();
      }
    }
  }

  @Test
  void aDeliveryWhoseCommitAnswerWasLostCountsAsDeliveredAndItsAfterCommitObserversRunOnce()
      throws Exception {
    double deliveredBefore = delivered();
    relay.dropNextCommitAnswers(1);
    List<Upstream> burst = inject("burst", 20);
    emulator.awaitAcked(burst, WAIT);
    assertEquals(1, relay.dropped(), "one delivery's commit answer was lost");
    assertDeliveredOnce(burst);
    assertTrue(inDoubtCommitted() >= 1, "the attempt in doubt was found committed");
    assertEquals(deliveredBefore + burst.size(), delivered(), "none counted as a duplicate");

    double settledBefore = inDoubtCommitted();
    relay.dropNextCommitAnswers(1);
    List<Upstream> one = inject("lone", 1);
    emulator.awaitAcked(one, WAIT);
    assertEquals(2, relay.dropped(), "the lone message's commit answer was lost");
    assertDeliveredOnce(one);
    assertEquals(
        settledBefore + 1,
        inDoubtCommitted(),
        "settled when CCS redelivered it: a lone message has no second attempt of its own");
    assertEquals(deliveredBefore + burst.size() + 1, delivered());
    assertTrue(server.logs().contains("counted as failed had committed"), "the settling is logged");
  }

  private List<Upstream> inject(String prefix, int count) {
    List<Upstream> messages =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    new Upstream(
                        "in-doubt-device-" + prefix + "-0123456789abcdef",
                        APP,
                        prefix + "-" + i,
                        Map.of()))
            .toList();
    messages.forEach(m -> emulator.inject(SENDER_ID, m));
    return messages;
  }

  /** In the database once, acked once, once to each kind of observer. */
  private void assertDeliveredOnce(List<Upstream> messages) {
    Map<String, Long> rows = probe.deliveriesPerMessageId();
    Map<String, Number> afterSuccess = probe.afterSuccessRuns();
    Map<String, Number> async = probe.asyncRuns();
    List<String> ids = messages.stream().map(Upstream::messageId).toList();
    Map<String, Long> once = ids.stream().collect(Collectors.toMap(Function.identity(), id -> 1L));
    assertEquals(once, counts(ids, rows::get), "rows the recording observer committed");
    assertEquals(once, counts(ids, id -> afterSuccess.get(id)), "AFTER_SUCCESS observer runs");
    emulator.await(
        () -> counts(ids, id -> probe.asyncRuns().get(id)).equals(once),
        WAIT,
        "each @ObservesAsync observer ran once: " + async);
    assertEquals(once, counts(ids, id -> (long) emulator.validAcksFor(id).size()), "valid acks");
  }

  private static Map<String, Long> counts(List<String> ids, Function<String, Number> count) {
    return ids.stream()
        .collect(
            Collectors.toMap(
                Function.identity(),
                id -> count.apply(id) == null ? 0L : count.apply(id).longValue()));
  }

  private double delivered() {
    return PrometheusText.parse(probe.metrics())
        .sum("uplink_upstream_delivered_total", Map.of("sender", SENDER_ID));
  }

  private double inDoubtCommitted() {
    return PrometheusText.parse(probe.metrics())
        .sum("uplink_upstream_in_doubt_committed_total", Map.of("sender", SENDER_ID));
  }
}
