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
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kills Payara Micro with SIGKILL while upstream load flows, several times at random moments, and
 * starts it again on the same database while CCS (the emulator) redelivers whatever was not acked.
 * Nothing acked may be lost and nothing may be delivered twice; downstream messages accepted before
 * a kill go out after the restart. {@code -Duplink.crash.kills=N} runs it longer (default 3); the
 * benchmark entry point runs it with 10.
 */
class CrashRecoveryIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int DEVICES = 20;
  private static final int MESSAGES_PER_SECOND = 100;
  private static final int REPLY_EVERY = 10;

  private final Random random = new Random();
  private final List<Upstream> injected = new CopyOnWriteArrayList<>();
  private final List<String> acceptedByApi = new CopyOnWriteArrayList<>();
  private final AtomicBoolean loading = new AtomicBoolean(true);
  private CcsEmulator emulator;
  private PayaraMicroProcess server;

  @BeforeEach
  void startEmulatorAndServer() throws Exception {
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(2));
    Path directory = Path.of("target", "crash-test").toAbsolutePath();
    Path war = directory.resolve("uplink.war");
    directory.toFile().mkdirs();
    GatewayDeployment.of(emulator, Map.of()).as(ZipExporter.class).exportTo(war.toFile(), true);
    server = new PayaraMicroProcess(war, directory);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    loading.set(false);
    server.close();
    emulator.close();
  }

  @Test
  void killedUnderLoadLosesNothingAckedAndDeliversEverythingOnce() throws Exception {
    int kills = Integer.getInteger("uplink.crash.kills", 3);
    Thread load = new Thread(this::injectSteadily, "crash-test-load");
    load.start();
    for (int kill = 0; kill < kills; kill++) {
      Thread.sleep(1_000 + random.nextInt(3_000));
      acceptThroughTheApi(kill);
      server.kill();
      Thread.sleep(random.nextInt(1_000));
      server.start();
    }
    Thread.sleep(2_000);
    loading.set(false);
    load.join();

    emulator.awaitAllAcked(WAIT);
    Probe probe = new Probe(server.application().toURL());
    Map<String, Long> deliveries = probe.deliveriesPerMessageId();
    Set<String> ids = injected.stream().map(Upstream::messageId).collect(Collectors.toSet());

    Set<String> missing = new HashSet<>(ids);
    missing.removeAll(deliveries.keySet());
    Set<String> unknown = new HashSet<>(deliveries.keySet());
    unknown.removeAll(ids);
    assertEquals(Set.of(), missing, "injected messages missing from the observer's table");
    assertEquals(Set.of(), unknown, "rows for messages never injected");
    assertTrue(
        deliveries.values().stream().allMatch(count -> count == 1),
        "no message delivered twice: " + twice(deliveries));
    Set<String> ackedWithoutRow = new HashSet<>();
    for (AckRecord ack : emulator.acks()) {
      if (ack.valid() && !deliveries.containsKey(ack.messageId())) {
        ackedWithoutRow.add(ack.messageId());
      }
    }
    assertEquals(Set.of(), ackedWithoutRow, "acks for messages the database does not hold");
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
        "Crash test: %d kills, %d upstream messages, %d acks on the wire, %d downstream messages%n",
        kills, ids.size(), emulator.acks().size(), expectedDownstream.size());
  }

  private void injectSteadily() {
    long intervalNanos = 1_000_000_000L / MESSAGES_PER_SECOND;
    long next = System.nanoTime();
    int n = 0;
    while (loading.get()) {
      String device = "crash-device-" + (n % DEVICES) + "-0123456789abcdef";
      Map<String, String> data = n % REPLY_EVERY == 0 ? Map.of("replies", "1") : Map.of();
      Upstream message = new Upstream(device, "com.example.app", "crash-" + n, data);
      injected.add(message);
      emulator.inject(SENDER_ID, message);
      n++;
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
