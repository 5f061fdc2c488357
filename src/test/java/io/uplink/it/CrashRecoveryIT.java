package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.AckRecord;
import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import io.uplink.emulator.Upstream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kills Payara Micro with SIGKILL while 1,000 upstream messages a second flow, several times at
 * moments drawn over the whole cycle (while it boots, in the middle of delivery batches, while
 * downstream messages wait for CCS's answers), and starts it again on the same database while CCS
 * (the emulator) redelivers whatever was not acked. Nothing acked may be lost, nothing may be
 * delivered twice, downstream messages accepted before a kill go out after the restart, and the
 * emulator may see no protocol violation and no invalid ack. The random seed is printed; {@code
 * -Duplink.crash.seed=N} replays the same kill moments, {@code -Duplink.crash.kills=N} runs it
 * longer (default 3); the benchmark entry point runs it with 20.
 */
class CrashRecoveryIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  /**
   * How long the last instance may take to ack the backlog the kills left (up to 80,000 messages
   * redelivered by CCS at most 100 unacked per connection): a bound on liveness, not a speed check.
   */
  private static final Duration BACKLOG_WAIT = Duration.ofMinutes(3);

  private static final int DEVICES = 20;
  private static final int MESSAGES_PER_SECOND = 1000;
  private static final int MESSAGES_PER_TICK = 10;
  private static final int REPLY_EVERY = 10;

  private final long seed = Long.getLong("uplink.crash.seed", new SecureRandom().nextLong());
  private final Random random = new Random(seed);
  private final List<KillMoment> moments = new ArrayList<>();
  private final List<Upstream> injected = new CopyOnWriteArrayList<>();
  private final List<String> acceptedByApi = new CopyOnWriteArrayList<>();
  private final AtomicBoolean loading = new AtomicBoolean(true);
  private CcsEmulator emulator;
  private PayaraMicroProcess server;

  private HeavyTestLock heavy;

  @BeforeEach
  void startEmulatorAndServer() throws Exception {
    heavy = HeavyTestLock.acquire();
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(2));
    Path directory = Path.of("target", "crash-test").toAbsolutePath();
    server =
        new PayaraMicroProcess(
            GatewayDeployment.exported(directory, emulator, Map.of()), directory);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    loading.set(false);
    try {
      server.close();
      emulator.close();
    } finally {
      if (heavy != null) {
        heavy.close();
      }
    }
  }

  @Test
  void killedUnderLoadLosesNothingAckedAndDeliversEverythingOnce() throws Exception {
    int kills = Integer.getInteger("uplink.crash.kills", 3);
    System.out.printf("Crash test seed %d (replay with -Duplink.crash.seed=%d)%n", seed, seed);
    long loadStart = System.nanoTime();
    Thread load = new Thread(this::injectSteadily, "crash-test-load");
    load.start();
    for (int kill = 0; kill < kills; kill++) {
      KillMoment moment = KillMoment.values()[random.nextInt(KillMoment.values().length)];
      moments.add(moment);
      killAt(moment, kill);
      Thread.sleep(random.nextInt(1_000));
      server.start();
    }
    Thread.sleep(2_000);
    loading.set(false);
    load.join();
    double rate = injected.size() / ((System.nanoTime() - loadStart) / 1e9);

    try {
      emulator.awaitAllAcked(BACKLOG_WAIT);
    } catch (AssertionError timedOut) {
      throw new AssertionError(
          timedOut.getMessage() + "; threads in " + server.dumpThreads() + replay(), timedOut);
    }
    Probe probe = new Probe(server.application().toURL());
    Map<String, Long> deliveries = probe.deliveriesPerMessageId();
    Set<String> ids = injected.stream().map(Upstream::messageId).collect(Collectors.toSet());

    Set<String> missing = new HashSet<>(ids);
    missing.removeAll(deliveries.keySet());
    assertEquals(
        Set.of(), missing, "injected messages missing from the observer's table" + replay());
    assertTrue(
        deliveries.values().stream().allMatch(count -> count == 1),
        "no message delivered twice: " + twice(deliveries) + replay());
    Set<String> ackedWithoutRow = new HashSet<>();
    for (AckRecord ack : emulator.acks()) {
      if (ack.valid() && !deliveries.containsKey(ack.messageId())) {
        ackedWithoutRow.add(ack.messageId());
      }
    }
    assertEquals(
        Set.of(), ackedWithoutRow, "acks for messages the database does not hold" + replay());
    assertEquals(List.of(), emulator.violations(), "protocol violations" + replay());
    assertEquals(
        List.of(),
        emulator.acks().stream().filter(ack -> !ack.valid()).toList(),
        "invalid acks" + replay());
    List<String> expectedDownstream = new ArrayList<>(acceptedByApi);
    injected.stream()
        .filter(m -> m.data().containsKey("replies"))
        .forEach(m -> expectedDownstream.add(m.messageId() + "-reply-0"));
    emulator.await(
        () -> ackedDownstream().containsAll(expectedDownstream),
        WAIT,
        "every downstream message accepted before a kill sent and acked after it");
    String logs = server.logs();
    assertTrue(logs.contains("connected as"), "one line per connection change");
    assertFalse(logs.contains(GatewayDeployment.SERVER_KEY), "the server key is never logged");
    assertTrue(
        injected.stream().map(Upstream::from).distinct().noneMatch(logs::contains),
        "no registration token is logged in full");
    System.out.printf(
        "Crash test (seed %d): %d kills %s, %d upstream messages at %.0f/s, %d acks on the wire,"
            + " %d downstream messages%n",
        seed, kills, moments, ids.size(), rate, emulator.acks().size(), expectedDownstream.size());
  }

  /** When in its cycle the server is killed. */
  private enum KillMoment {
    /** Before it is ready: booting, deploying, or opening its connections. */
    START_UP,
    /** Under load, in the middle of delivery batches. */
    UNDER_LOAD,
    /** While downstream messages it wrote wait for CCS's answers. */
    DOWNSTREAM_IN_FLIGHT
  }

  private void killAt(KillMoment moment, int round) throws Exception {
    switch (moment) {
      case START_UP -> {
        Thread.sleep(random.nextInt(2_000));
        acceptThroughTheApi(round);
        server.kill();
        server.launch();
        Thread.sleep(2_000 + random.nextInt(10_000));
        server.kill();
      }
      case UNDER_LOAD -> {
        Thread.sleep(500 + random.nextInt(3_000));
        acceptThroughTheApi(round);
        server.kill();
      }
      case DOWNSTREAM_IN_FLIGHT -> {
        emulator.holdAnswers();
        acceptThroughTheApi(round);
        List<String> sent =
            List.copyOf(acceptedByApi.subList(acceptedByApi.size() - 5, acceptedByApi.size()));
        emulator.await(
            () -> sent.stream().allMatch(id -> emulator.downstreamCount(id) > 0),
            WAIT,
            "the API's messages on the wire, unanswered");
        Thread.sleep(random.nextInt(300));
        server.kill();
        emulator.releaseAnswers();
      }
    }
  }

  private String replay() {
    return " (seed "
        + seed
        + ", kills "
        + moments
        + "; replay with -Duplink.crash.seed="
        + seed
        + ")";
  }

  /** Injects {@link #MESSAGES_PER_TICK} messages per tick, at {@link #MESSAGES_PER_SECOND}. */
  private void injectSteadily() {
    long intervalNanos = 1_000_000_000L / MESSAGES_PER_SECOND * MESSAGES_PER_TICK;
    long next = System.nanoTime();
    int n = 0;
    while (loading.get()) {
      for (int i = 0; i < MESSAGES_PER_TICK; i++, n++) {
        String device = "crash-device-" + (n % DEVICES) + "-0123456789abcdef";
        Map<String, String> data = n % REPLY_EVERY == 0 ? Map.of("replies", "1") : Map.of();
        Upstream message = new Upstream(device, "com.example.app", "crash-" + n, data);
        injected.add(message);
        emulator.inject(SENDER_ID, message);
      }
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        GatewayIntegrationTest.sleep(wait / 1_000_000);
      }
    }
  }

  /** Downstream messages the admin API accepted (202) just before a kill. */
  private void acceptThroughTheApi(int round) throws Exception {
    for (int i = 0; i < 5; i++) {
      String id = "api-" + round + "-" + i;
      server.acceptDownstream("crash-api-device-0123456789abcdef", id);
      acceptedByApi.add(id);
    }
  }

  private Set<String> ackedDownstream() {
    return emulator.downstream().stream()
        .filter(r -> r.outcome() == DownstreamRecord.Outcome.ACKED)
        .map(DownstreamRecord::messageId)
        .collect(Collectors.toSet());
  }

  private static Map<String, Long> twice(Map<String, Long> deliveries) {
    return deliveries.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
