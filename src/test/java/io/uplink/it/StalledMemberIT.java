package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.FcmHttpEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster member frozen past its lease (SIGSTOP: a long GC pause, a suspended VM) must not send,
 * once it wakes up, what a survivor adopted meanwhile. Two instances on PostgreSQL send a sender's
 * downstream messages through FCM HTTP v1 with at most 4 requests in flight each; FCM holds its
 * answers, so the first instance has 4 messages in flight and the rest waiting in memory when it is
 * stopped. The second adopts them all once the first's heartbeat is a lease old and sends them;
 * then the first is resumed. Each message FCM had not received before the stop reaches it exactly
 * once; the 4 in flight at the stop may reach it twice (at least once to FCM: their answers never
 * came back in time).
 */
class StalledMemberIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String TOKEN = "stalled-member-token-0123456789abcdef";
  private static final int MESSAGES = 40;
  private static final int IN_FLIGHT = 4;

  private final String database = "uplink_it_" + UUID.randomUUID().toString().replace("-", "");
  private HeavyTestLock heavy;
  private PostgreSqlServer postgresql;
  private CcsEmulator emulator;
  private FcmHttpEmulator fcm;
  private PayaraMicroProcess first;
  private PayaraMicroProcess second;

  @BeforeEach
  void startTwoInstances() throws Exception {
    heavy = HeavyTestLock.acquire();
    Path directory = Path.of("target", "stalled-member").toAbsolutePath();
    postgresql = PostgreSqlServer.start(directory);
    postgresql.createDatabase(database);
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(1));
    fcm = FcmHttpEmulator.start("uplink-stalled", directory);
    Map<String, String> settings = new HashMap<>(fcm.gatewaySettings("uplink.ccs."));
    settings.put("uplink.ccs.http-v1.max-in-flight", String.valueOf(IN_FLIGHT));
    settings.put("uplink.cluster.lease-duration", "PT6S");
    settings.put("uplink.cluster.renew-interval", "PT2S");
    Path war = GatewayDeployment.exported(directory, emulator, settings);
    List<String> options =
        List.of(
            "--systemproperties",
            postgresql
                .payaraProperties(database, directory.resolve("postgresql.properties"))
                .toString());
    List<String> heap = List.of("-Xmx512m");
    first = new PayaraMicroProcess(war, directory.resolve("first"), heap, options);
    second = new PayaraMicroProcess(war, directory.resolve("second"), heap, options);
    first.start();
    emulator.awaitConnections(SENDER_ID, 2, WAIT);
    second.start();
    emulator.await(() -> owners("lease").size() == 2, WAIT, "each instance holds a connection");
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (emulator != null) {
        EmulatorVerdict.CLEAN.assertNothingAddedBy(emulator);
      }
    } finally {
      TestParts.close(first, second, fcm, emulator);
      try {
        PostgreSqlServer.dropAndClose(postgresql, database);
      } finally {
        heavy.close();
      }
    }
  }

  @Test
  void aMemberWokenAfterItsLeaseSendsNothingASurvivorAdopted() throws Exception {
    fcm.holdAnswers();
    List<String> ids = IntStream.range(0, MESSAGES).mapToObj(i -> "stalled-" + i).toList();
    for (String id : ids) {
      first.acceptDownstream(TOKEN, id);
    }
    emulator.await(() -> received(ids) == IN_FLIGHT, WAIT, "the first's window full at FCM");
    List<String> inFlightAtTheStop = ids.stream().filter(id -> fcm.receivedCount(id) > 0).toList();
    List<String> firstOwner = owners("outbox");
    assertEquals(1, firstOwner.size(), "the first owns every message: " + firstOwner);

    first.stall();
    try {
      emulator.await(
          () -> {
            List<String> now = owners("outbox");
            return now.size() == 1 && !now.equals(firstOwner);
          },
          WAIT,
          "the second adopted every message once the first's heartbeat was a lease old");
      fcm.releaseAnswers();
      emulator.await(() -> acked(ids) == MESSAGES, WAIT, "the second sent and recorded them all");
    } finally {
      first.resume();
    }

    // Its dispatcher takes messages in order: once one accepted now is at FCM, every message it
    // held from before the stop was either let go or sent.
    first.acceptDownstream(TOKEN, "stalled-after");
    emulator.await(() -> fcm.receivedCount("stalled-after") == 1, WAIT, "a new message sent");

    List<String> wrong = new ArrayList<>();
    for (String id : ids) {
      long times = fcm.receivedCount(id);
      long allowed = inFlightAtTheStop.contains(id) ? 2 : 1;
      if (times < 1 || times > allowed) {
        wrong.add(id + " reached FCM " + times + " times");
      }
    }
    assertEquals(List.of(), wrong, "in flight at the stop: " + inFlightAtTheStop);
    assertTrue(
        logsOf(first).contains("belong to another instance now and are let go unsent"),
        "the first, awake, checked what it held against the outbox");
  }

  private static String logsOf(PayaraMicroProcess server) {
    try {
      return server.logs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int received(List<String> ids) {
    return (int) ids.stream().filter(id -> fcm.receivedCount(id) > 0).count();
  }

  /** The owners of the test's outbox rows ({@code outbox}) or of the connection leases. */
  private List<String> owners(String of) {
    String sql =
        of.equals("outbox")
            ? "select distinct owner from uplink_outbox where message_id like 'stalled-%'"
                + " order by 1"
            : "select distinct owner from uplink_connection_lease where owner is not null"
                + " and expires_at > now() order by 1";
    List<String> owners = new ArrayList<>();
    try (Connection connection = postgresql.connect(database);
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        owners.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return owners;
  }

  private int acked(List<String> ids) {
    try (Connection connection = postgresql.connect(database);
        PreparedStatement statement =
            connection.prepareStatement(
                "select count(*) from uplink_outbox where message_id like 'stalled-%'"
                    + " and status = 'ACKED'");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
