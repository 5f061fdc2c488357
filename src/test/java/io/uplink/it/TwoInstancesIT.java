package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import io.uplink.emulator.EmulatedConnection;
import io.uplink.emulator.Upstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same WAR as two clustered Payara Micro instances sharing one PostgreSQL database (a fresh
 * database per run on a {@link PostgreSqlServer}: an embedded one unless told otherwise) and the
 * four connections of one sender, which they divide with leases. CCS spreads the sender's messages
 * and its redeliveries over the connections of both; one instance is killed under load with
 * downstream messages unanswered. The survivor gets what the dead one left unacked, takes over its
 * connections once their leases expire, and sends what it left in the outbox. Every message is
 * delivered exactly once, because the de-duplication record is shared.
 *
 * <p>The second instance's wall clock runs {@link #SKEW} ahead ({@link SkewedClock}), far more than
 * a lease lasts: by its own clock every lease of the first has long expired. A trigger records
 * every change of a lease's owner in the database's time, and no lease may change hands while it is
 * still valid there.
 */
class TwoInstancesIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int CONNECTIONS = 4;
  private static final List<String> HEAP = List.of("-Xmx512m");
  private static final Duration SKEW = Duration.ofMinutes(5);

  /** PostgreSQL's SQL state for a table that does not exist: the migrations have not run yet. */
  private static final String UNDEFINED_TABLE = "42P01";

  private static final DateTimeFormatter LOG_TIME_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  private static final Pattern LOG_TIME =
      Pattern.compile(
          "^\\[(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4})\\]",
          Pattern.MULTILINE);

  private final List<Upstream> injected = new CopyOnWriteArrayList<>();
  private final String database = "uplink_it_" + UUID.randomUUID().toString().replace("-", "");
  private HeavyTestLock heavy;
  private PostgreSqlServer postgresql;
  private CcsEmulator emulator;
  private PayaraMicroProcess first;
  private PayaraMicroProcess second;

  @BeforeEach
  void startTwoInstances() throws Exception {
    heavy = HeavyTestLock.acquire();
    Path directory = Path.of("target", "two-instances").toAbsolutePath();
    postgresql = PostgreSqlServer.start(directory);
    postgresql.createDatabase(database);
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(1));
    Path war =
        GatewayDeployment.exported(
            directory,
            emulator,
            Map.of(
                "uplink.ccs.connections", String.valueOf(CONNECTIONS),
                "uplink.cluster.lease-duration", "PT6S",
                "uplink.cluster.renew-interval", "PT2S"));
    List<String> options =
        List.of(
            "--systemproperties",
            postgresql
                .payaraProperties(database, directory.resolve("postgresql.properties"))
                .toString());
    first = new PayaraMicroProcess(war, directory.resolve("first"), HEAP, options);
    List<String> skewed = new ArrayList<>(HEAP);
    skewed.addAll(SkewedClock.jvmOptions(SKEW, directory.resolve("second")));
    second = new PayaraMicroProcess(war, directory.resolve("second"), skewed, options);
    first.start();
    emulator.awaitConnections(SENDER_ID, CONNECTIONS, WAIT);
    assertEquals(List.of(CONNECTIONS), leasesPerInstance(), "alone, the first holds them all");
    recordLeaseChanges();
    second.start();
    emulator.await(
        () -> leasesPerInstance().equals(List.of(2, 2)), WAIT, "the connections spread 2 and 2");
    emulator.await(
        () -> emulator.openConnections(SENDER_ID).size() == CONNECTIONS,
        WAIT,
        "the connections the first gave back closed, the second's open");
  }

  /**
   * A trigger that writes each change of a lease's owner, with the lease's expiry before the change
   * and the database's time of the change, to {@code it_lease_change}. That time is {@code
   * current_timestamp}, the start of the changing transaction, which is the "now" a claim compares
   * expiries with ({@code DatabaseClock}).
   */
  private void recordLeaseChanges() throws SQLException {
    try (Connection connection = postgresql.connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "create table it_lease_change (lease_id varchar(255), old_owner varchar(255),"
              + " new_owner varchar(255), old_expires_at timestamp with time zone,"
              + " changed_at timestamp with time zone)");
      statement.execute(
          "create function it_record_lease_change() returns trigger language plpgsql as $$"
              + " begin insert into it_lease_change values (old.id, old.owner, new.owner,"
              + " old.expires_at, current_timestamp); return new; end $$");
      statement.execute(
          "create trigger it_lease_change after update on uplink_connection_lease for each row"
              + " when (old.owner is distinct from new.owner)"
              + " execute function it_record_lease_change()");
    }
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (emulator != null) {
        EmulatorVerdict.CLEAN.assertNothingAddedBy(emulator);
      }
    } finally {
      stopEverything();
    }
  }

  private void stopEverything() throws Exception {
    try {
      TestParts.close(first, second, emulator);
      PostgreSqlServer.dropAndClose(postgresql, database);
    } finally {
      if (heavy != null) {
        heavy.close();
      }
    }
  }

  @Test
  void messagesAreDeliveredOnceAndTheSurvivorTakesOverConnectionsAndUnansweredMessages()
      throws Exception {
    assertClockAhead(first, Duration.ZERO);
    assertClockAhead(second, SKEW);
    inject(0, 300);
    raceTheInstances(20);
    emulator.await(() -> acked() >= 100, WAIT, "the first hundred acked");
    emulator.holdAnswers();
    List<String> unanswered = sendThroughTheApiOf(first, 10);
    emulator.await(
        () -> unanswered.stream().allMatch(id -> emulator.downstreamCount(id) > 0),
        WAIT,
        "the first instance's downstream messages on the wire, unanswered");
    first.kill();
    emulator.releaseAnswers();
    inject(300, 300);
    redeliverAckedOnes(50);

    emulator.awaitAllAcked(WAIT);
    emulator.await(
        () -> leasesPerInstance().equals(List.of(CONNECTIONS)),
        WAIT,
        "the survivor holding every lease");
    emulator.await(
        () -> emulator.openConnections(SENDER_ID).size() == CONNECTIONS,
        WAIT,
        "the survivor's connections open");
    emulator.await(
        () -> ackedDownstream().containsAll(unanswered),
        WAIT,
        "the dead instance's unanswered downstream messages sent by the survivor");
    assertEquals(List.of(), leasesTakenWhileValid(), "leases taken from a live holder");
    Map<String, Integer> deliveries = deliveriesPerMessageId();
    Set<String> ids = injected.stream().map(Upstream::messageId).collect(Collectors.toSet());
    Set<String> missing = new HashSet<>(ids);
    missing.removeAll(deliveries.keySet());
    assertEquals(Set.of(), missing, "messages missing from the shared table");
    assertTrue(
        deliveries.values().stream().allMatch(count -> count == 1),
        "delivered twice: "
            + deliveries.entrySet().stream().filter(e -> e.getValue() > 1).toList());
    for (PayaraMicroProcess instance : List.of(first, second)) {
      String logs = instance.logs();
      assertFalse(logs.contains(GatewayDeployment.SERVER_KEY), "the server key is never logged");
      List<String> logged =
          injected.stream().map(Upstream::from).distinct().filter(logs::contains).toList();
      assertEquals(List.of(), logged, "registration tokens logged in full");
    }
  }

  /**
   * Delivers each of {@code count} new messages on every open connection at once, so that both
   * instances deliver it at the same moment: one commits and the other fails on the shared unique
   * key, which PostgreSQL would explain with the key's values, the registration token among them.
   */
  private void raceTheInstances(int count) {
    for (int i = 0; i < count; i++) {
      Upstream message =
          new Upstream(
              "two-instances-racer-" + i + "-0123456789abcdef",
              "com.example.app",
              "pg-race-" + i,
              Map.of());
      injected.add(message);
      emulator.inject(SENDER_ID, message);
      for (EmulatedConnection connection : emulator.openConnections(SENDER_ID)) {
        emulator.redeliver(SENDER_ID, message.from(), message.messageId(), connection);
      }
    }
  }

  /** Downstream messages accepted by one instance's admin API. */
  private static List<String> sendThroughTheApiOf(PayaraMicroProcess instance, int count)
      throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "pg-down-" + i;
      instance.acceptDownstream("two-instances-target-0123456789abcdef", id);
      ids.add(id);
    }
    return ids;
  }

  private Set<String> ackedDownstream() {
    return emulator.downstream().stream()
        .filter(r -> r.outcome() == DownstreamRecord.Outcome.ACKED)
        .map(DownstreamRecord::messageId)
        .collect(Collectors.toSet());
  }

  /** How many connection leases each instance holds, in ascending order. */
  private List<Integer> leasesPerInstance() {
    List<Integer> counts = new ArrayList<>();
    try (Connection connection = postgresql.connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select count(*) from uplink_connection_lease where owner is not null"
                    + " and expires_at > now() group by owner order by 1")) {
      while (rows.next()) {
        counts.add(rows.getInt(1));
      }
    } catch (SQLException e) {
      if (UNDEFINED_TABLE.equals(e.getSQLState())) {
        return List.of();
      }
      throw new AssertionError("reading the leases failed", e);
    }
    return counts;
  }

  /** Lease changes from one owner to another before the first's lease expired, in database time. */
  private List<String> leasesTakenWhileValid() throws SQLException {
    List<String> taken = new ArrayList<>();
    try (Connection connection = postgresql.connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select lease_id, old_owner, new_owner, old_expires_at, changed_at"
                    + " from it_lease_change where old_owner is not null and new_owner is not null"
                    + " and old_expires_at >= changed_at")) {
      while (rows.next()) {
        taken.add(
            rows.getString(1)
                + " from "
                + rows.getString(2)
                + " (valid until "
                + rows.getObject(4)
                + ") to "
                + rows.getString(3)
                + " at "
                + rows.getObject(5));
      }
    }
    assertTrue(
        countTakeovers() > 0,
        "the trigger saw the survivor take over the dead instance's leases, so it was working");
    return taken;
  }

  private int countTakeovers() throws SQLException {
    try (Connection connection = postgresql.connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select count(*) from it_lease_change"
                    + " where old_owner is not null and new_owner is not null")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /**
   * Checks that an instance's wall clock is {@code ahead} of the true time, within a minute: the
   * latest time stamp in its log against the time the file system (on the true clock) says the log
   * was last written.
   */
  private static void assertClockAhead(PayaraMicroProcess instance, Duration ahead)
      throws IOException {
    Path log = instance.currentLog();
    Instant written = Files.getLastModifiedTime(log).toInstant();
    Matcher times = LOG_TIME.matcher(Files.readString(log));
    Instant latest = Instant.MIN;
    while (times.find()) {
      Instant time = OffsetDateTime.parse(times.group(1), LOG_TIME_FORMAT).toInstant();
      latest = time.isAfter(latest) ? time : latest;
    }
    Duration offset = Duration.between(written, latest);
    assertTrue(
        offset.minus(ahead).abs().compareTo(Duration.ofMinutes(1)) < 0,
        "the instance's clock should be " + ahead + " ahead; its log says " + offset);
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
    try (Connection connection = postgresql.connect(database);
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
