package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.Upstream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded H2 database on a disk that fills up: a small file system of the test's own (a {@code
 * tmpfs} of {@value #DISK_MEGABYTES} MB, which needs root), filled by the test while upstream
 * messages arrive. The gateway must say it is not ready, with the database's failure as the reason,
 * ack nothing it could not commit, and recover by itself once space is back: every message
 * delivered once and acked, ready again, without a restart. So many messages arrive meanwhile that
 * both connections' upstream windows fill with messages left unacked, after which CCS sends nothing
 * more on them: the gateway must replace such stalled connections.
 */
class DiskFullIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int DISK_MEGABYTES = 64;
  private static final String APP = "com.example.app";

  /** The emulator's upstream window per connection: CCS sends nothing more past it. */
  private static final int WINDOW = 100;

  private final Path directory = Path.of("target", "disk-full").toAbsolutePath();
  private final Path disk = directory.resolve("disk");
  private HeavyTestLock heavy;
  private boolean mounted;
  private CcsEmulator emulator;
  private PayaraMicroProcess server;
  private Probe probe;

  @BeforeEach
  void startOnASmallDisk() throws Exception {
    Files.createDirectories(disk);
    mounted =
        run("mount", "-t", "tmpfs", "-o", "size=" + DISK_MEGABYTES + "m", "tmpfs", disk.toString());
    Assumptions.assumeTrue(mounted, "mounting a small file system needs root");
    heavy = HeavyTestLock.acquire();
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(1));
    Path war =
        GatewayDeployment.exported(
            directory,
            emulator,
            Map.of(
                "uplink.datasource.url",
                "jdbc:h2:file:" + disk.resolve("uplink") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                "uplink.ccs.upstream-stall-timeout",
                "PT3S"));
    server = new PayaraMicroProcess(war, directory.resolve("server"));
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
      TestParts.close(server, emulator);
      if (mounted) {
        run("umount", "-l", disk.toString());
      }
      if (heavy != null) {
        heavy.close();
      }
    }
  }

  @Test
  void aFullDiskMakesTheGatewayNotReadyAndItRecoversOnceSpaceIsBack() throws Exception {
    List<Upstream> messages = new ArrayList<>(inject("before", 10));
    emulator.awaitAcked(messages, WAIT);

    Path filler = disk.resolve("filler");
    fill(filler);
    int[] batch = {0};
    emulator.await(
        () -> {
          messages.addAll(inject("during-" + batch[0]++, 5));
          return probe.health("ready").statusCode() == 503;
        },
        WAIT,
        "not ready while the disk is full (messages arriving meanwhile)");
    HttpResponse<String> ready = probe.health("ready");
    assertTrue(ready.body().contains("\"uplink-database\",\"status\":\"DOWN\""), ready.body());
    assertTrue(ready.body().contains("failing: "), ready.body());
    assertEquals(200, probe.health("live").statusCode(), "alive: a restart would not free space");
    messages.addAll(inject("beyond-the-windows", 2 * WINDOW + 50));
    emulator.await(
        () -> emulator.waitingUpstream(SENDER_ID) > 0,
        WAIT,
        "both connections' windows full of messages the gateway could not deliver");
    emulator.await(() -> upstreamBacklog() == 0, WAIT, "the gateway gave up every message it had");
    emulator.await(
        () -> logs().contains("opening a replacement so that CCS delivers them again"),
        WAIT,
        "silent connections with a full window replaced");

    Files.delete(filler);
    try {
      emulator.await(
          () -> probe.health("ready").statusCode() == 200, WAIT, "ready again once space is back");
    } catch (AssertionError timedOut) {
      throw new AssertionError(
          timedOut.getMessage()
              + "; "
              + probe.health("ready").body()
              + "; emulator unacked "
              + emulator.unacked(SENDER_ID).size()
              + ", waiting "
              + emulator.waitingUpstream(SENDER_ID)
              + ", gateway backlog "
              + upstreamBacklog()
              + "; threads in "
              + server.dumpThreads(),
          timedOut);
    }
    try {
      emulator.awaitAcked(messages, WAIT);
    } catch (AssertionError timedOut) {
      List<String> unacked =
          messages.stream()
              .map(Upstream::messageId)
              .filter(id -> emulator.validAcksFor(id).isEmpty())
              .toList();
      throw new AssertionError(
          timedOut.getMessage()
              + "; unacked "
              + unacked
              + ", emulator unacked "
              + emulator.unacked(SENDER_ID).size()
              + ", waiting "
              + emulator.waitingUpstream(SENDER_ID)
              + ", rows "
              + probe.deliveriesPerMessageId().keySet().stream().filter(unacked::contains).toList()
              + "; threads in "
              + server.dumpThreads(),
          timedOut);
    }
    Map<String, Long> rows = probe.deliveriesPerMessageId();
    Map<String, Long> once =
        messages.stream().collect(Collectors.toMap(Upstream::messageId, m -> 1L));
    assertEquals(
        once,
        messages.stream()
            .collect(
                Collectors.toMap(Upstream::messageId, m -> rows.getOrDefault(m.messageId(), 0L))),
        "each message delivered once");
    assertTrue(logs().contains("The database takes no commit; not ready"), "the failure is logged");
  }

  private int upstreamBacklog() {
    Map<?, ?> upstream = (Map<?, ?>) probe.status().get("upstream");
    return ((Number) upstream.get("backlog")).intValue();
  }

  private String logs() {
    try {
      return server.logs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes to the file until the file system is full. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
  }

  private List<Upstream> inject(String prefix, int count) {
    List<Upstream> messages =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    new Upstream(
                        "disk-full-device-" + (i % 3) + "-0123456789abcdef",
                        APP,
                        prefix + "-" + i,
                        Map.of()))
            .toList();
    messages.forEach(m -> emulator.inject(SENDER_ID, m));
    return messages;
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
  }
}
