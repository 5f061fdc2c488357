package io.uplink.demo;

import io.uplink.demo.app.DeviceMessageLogger;
import io.uplink.emulator.AckRecord;
import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.EmulatedConnection;
import io.uplink.emulator.FcmHttpEmulator;
import io.uplink.emulator.SimulatedDevices;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The main job ({@code mvn -Pdemo package}): starts the CCS emulator with simulated devices, and
 * Payara Micro with the gateway plus a small example application, on the embedded H2 database in
 * {@code ./uplink-data}, and the FCM HTTP v1 emulator for a second, send-only sender. Every few
 * seconds the emulator redelivers a message the gateway already acked, as CCS does when an ack is
 * lost, so the log shows duplicates being acked and not delivered again; the example application
 * replies to some messages over CCS and to others over HTTP v1. Ctrl-C stops everything.
 */
public final class UplinkDemo {

  private static final String SENDER_ID = "1234567890";
  private static final String SERVER_KEY = "AIzaSyDemoServerKeyNotARealOne00000000";
  private static final int CONNECTIONS = 2;

  private UplinkDemo() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of("target", "demo").toAbsolutePath();
    Files.createDirectories(work);
    CcsEmulator emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, SERVER_KEY)
            .redeliveryDelay(Duration.ofSeconds(10))
            .trustStoreDirectory(work)
            .recordStanzas(false)
            .build()
            .start();
    say("CCS emulator listening on 127.0.0.1:" + emulator.port() + " (direct TLS)");
    FcmHttpEmulator fcm = FcmHttpEmulator.start("uplink-demo", work);
    say("FCM HTTP v1 emulator listening on " + fcm.baseUrl());

    Process payara = startPayara(demoWar(work), emulator, fcm, work);
    ScheduledExecutorService chores = Executors.newSingleThreadScheduledExecutor();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(chores, payara, emulator, fcm), "uplink-demo-stop"));

    emulator.awaitConnections(SENDER_ID, CONNECTIONS, Duration.ofMinutes(3));
    say("the gateway opened " + CONNECTIONS + " connections; 5 devices start sending");
    SimulatedDevices devices = SimulatedDevices.start(emulator, SENDER_ID, 5, 2.0);
    chores.scheduleAtFixedRate(() -> redeliverAnAckedMessage(emulator), 6, 6, TimeUnit.SECONDS);
    chores.scheduleAtFixedRate(() -> report(emulator, fcm, devices), 15, 15, TimeUnit.SECONDS);
    payara.waitFor();
  }

  /** The gateway's WAR as built, plus the example application's classes. */
  private static Path demoWar(Path work) {
    WebArchive war =
        ShrinkWrap.create(ZipImporter.class, "uplink.war")
            .importFrom(new File("target/uplink.war"))
            .as(WebArchive.class)
            .addPackage("io.uplink.demo.app");
    Path file = work.resolve("uplink.war");
    war.as(ZipExporter.class).exportTo(file.toFile(), true);
    return file;
  }

  private static Process startPayara(Path war, CcsEmulator emulator, FcmHttpEmulator fcm, Path work)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-jar",
                "target/payara-micro.jar",
                "--deploy",
                war.toString(),
                "--contextroot",
                "uplink",
                "--port",
                "8080",
                "--autobindhttp",
                "--nocluster",
                "--rootdir",
                work.resolve("payara-root").toString(),
                "--prebootcommandfile",
                "payara/pre-boot-commands.asadmin",
                "--postbootcommandfile",
                "src/test/payara/demo-post-boot-commands.asadmin")
            .inheritIO();
    Map<String, String> env = builder.environment();
    env.put("UPLINK_CCS_HOST", "127.0.0.1");
    env.put("UPLINK_CCS_PORT", String.valueOf(emulator.port()));
    env.put("UPLINK_CCS_TRUST_STORE", emulator.trustStore().toString());
    env.put("UPLINK_CCS_TRUST_STORE_PASSWORD", emulator.trustStorePassword());
    env.put("UPLINK_CCS_SENDER_ID", SENDER_ID);
    env.put("UPLINK_CCS_SERVER_KEY", SERVER_KEY);
    env.put("UPLINK_CCS_CONNECTIONS", String.valueOf(CONNECTIONS));
    env.put("UPLINK_CCS_SENDERS", "push");
    env.put("UPLINK_CCS_PUSH_SENDER_ID", DeviceMessageLogger.PUSH_SENDER);
    env.put("UPLINK_CCS_PUSH_CONNECTIONS", "0");
    fcm.gatewaySettings("uplink.ccs.push.")
        .forEach(
            (key, value) ->
                env.put(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
    return builder.start();
  }

  private static void redeliverAnAckedMessage(CcsEmulator emulator) {
    List<AckRecord> acks = emulator.acks().stream().filter(AckRecord::valid).toList();
    List<EmulatedConnection> connections = emulator.openConnections(SENDER_ID);
    if (acks.isEmpty() || connections.isEmpty()) {
      return;
    }
    AckRecord acked = acks.get(ThreadLocalRandom.current().nextInt(acks.size()));
    EmulatedConnection on =
        connections.get(ThreadLocalRandom.current().nextInt(connections.size()));
    say(
        "CCS redelivers message "
            + acked.messageId()
            + " of "
            + acked.to()
            + " on "
            + on
            + ", as if its ack had been lost: the gateway must ack it again without delivering it");
    emulator.redeliver(SENDER_ID, acked.to(), acked.messageId(), on);
  }

  private static void report(CcsEmulator emulator, FcmHttpEmulator fcm, SimulatedDevices devices) {
    long valid = emulator.acks().stream().filter(AckRecord::valid).count();
    long overHttpV1 = fcm.answered().stream().filter(answer -> answer.status() == 200).count();
    say(
        devices.sent()
            + " messages sent by devices, "
            + valid
            + " acks received, "
            + emulator.unacked(SENDER_ID).size()
            + " awaiting an ack; replies: "
            + emulator.downstream().size()
            + " over CCS, "
            + overHttpV1
            + " accepted by FCM over HTTP v1");
  }

  private static void stop(
      ScheduledExecutorService chores, Process payara, CcsEmulator emulator, FcmHttpEmulator fcm) {
    say("stopping");
    chores.shutdownNow();
    payara.destroy();
    try {
      payara.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    emulator.close();
    fcm.close();
  }

  private static void say(String line) {
    System.out.println("[demo] " + line);
  }
}
