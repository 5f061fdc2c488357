package io.uplink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.FcmHttpEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kills Payara Micro with SIGKILL while downstream messages wait for FCM's HTTP v1 answers, and
 * starts it again on the same database. The sender is send-only (no XMPP connection), so what the
 * killed instance left is adopted by the periodic sweep, not by a connection assignment; the
 * service account's key comes from a password alias: what FCM accepted and the outbox recorded
 * before the kill is never sent again, and what was accepted by the API but unanswered at the kill
 * is sent again after the restart (at least once: FCM may have accepted it just as the gateway
 * died). One kill falls exactly between FCM's acceptance and its record: the message's outbox row
 * is locked by the test, so the gateway holds the 200 it cannot write down when it dies.
 */
class HttpV1CrashIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOKEN = "http-v1-crash-token-0123456789abcdef";

  /** How long the test holds a row's lock: far longer than the test needs, so the kill ends it. */
  private static final Duration ROW_HELD = Duration.ofMinutes(2);

  private CcsEmulator emulator;
  private FcmHttpEmulator fcm;
  private PayaraMicroProcess server;
  private HeavyTestLock heavy;

  @BeforeEach
  void start() throws Exception {
    heavy = HeavyTestLock.acquire();
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(2));
    Path directory = Path.of("target", "http-v1-crash-test").toAbsolutePath();
    fcm = FcmHttpEmulator.start("uplink-crash", directory);
    Map<String, String> settings = new HashMap<>(fcm.gatewaySettings("uplink.ccs."));
    settings.remove("uplink.ccs.http-v1.service-account-file");
    settings.put("uplink.ccs.connections", "0");
    server =
        new PayaraMicroProcess(GatewayDeployment.exported(directory, emulator, settings), directory)
            .postBootCommands(serviceAccountAsPasswordAlias(directory));
    server.start();
  }

  /**
   * The tests' post-boot commands plus the service account's JSON key as the password alias {@code
   * uplink.ccs.http-v1.service-account}, which Payara's password config source serves as that
   * setting: the way production keeps the key out of the WAR.
   */
  private Path serviceAccountAsPasswordAlias(Path directory) throws IOException {
    String key = Files.readString(fcm.serviceAccountFile()).replace("\\", "\\\\");
    Path aliasPassword = directory.resolve("service-account-alias.txt");
    Files.writeString(aliasPassword, "AS_ADMIN_ALIASPASSWORD=" + key + "\n");
    Path commands = directory.resolve("post-boot-commands.asadmin");
    Files.writeString(
        commands,
        Files.readString(Path.of("src/test/payara/post-boot-commands.asadmin"))
            + "create-password-alias --passwordfile "
            + aliasPassword
            + " uplink.ccs.http-v1.service-account\n");
    return commands;
  }

  @AfterEach
  void stop() throws Exception {
    try {
      EmulatorVerdict.CLEAN.assertNothingAddedBy(emulator);
    } finally {
      stopEverything();
    }
  }

  private void stopEverything() throws Exception {
    try {
      server.close();
      fcm.close();
      emulator.close();
    } finally {
      heavy.close();
    }
  }

  @Test
  void whatFcmAcceptedIsNeverSentAgainAndWhatWasInFlightIsSentAfterTheRestart() throws Exception {
    List<String> before = ids("before", 40);
    for (String id : before) {
      server.acceptDownstream(TOKEN, id);
    }
    awaitAcked(before);

    fcm.holdAnswers();
    List<String> inFlight = ids("in-flight", 20);
    for (String id : inFlight) {
      server.acceptDownstream(TOKEN, id);
    }
    emulator.await(
        () -> inFlight.stream().allMatch(id -> fcm.receivedCount(id) == 1),
        WAIT,
        "every in-flight message sent and waiting for FCM's answer");
    server.kill();
    fcm.releaseAnswers();
    server.start();

    awaitAcked(inFlight);
    for (String id : before) {
      assertEquals(1, fcm.receivedCount(id), id + " was acked before the kill: never sent again");
    }
    for (String id : inFlight) {
      assertEquals(2, fcm.receivedCount(id), id + " sent again after the restart, once");
    }
    String logs = server.logs();
    assertFalse(logs.contains("PRIVATE KEY"), "the service account's key is never logged");
    assertFalse(logs.contains("ya29."), "no access token is logged");
  }

  @Test
  void killedBetweenFcmsAcceptanceAndItsRecordTheMessageIsSentAgainAfterTheRestart()
      throws Exception {
    String id = "accepted-unrecorded";
    Probe probe = new Probe(server.application().toURL());
    fcm.holdAnswers();
    server.acceptDownstream(TOKEN, id);
    emulator.await(() -> fcm.receivedCount(id) == 1, WAIT, "sent, FCM's answer held");
    CompletableFuture.runAsync(() -> probe.holdOutboxRow(id, ROW_HELD.toMillis()));
    emulator.await(
        () -> probe.outboxRowHeld(id),
        WAIT,
        "its outbox row locked, so that FCM's answer cannot be recorded");
    fcm.releaseAnswers();
    emulator.await(
        () -> fcm.acceptedFor(TOKEN).stream().anyMatch(answer -> answer.id().equals(id)),
        WAIT,
        "FCM accepted it");
    assertEquals("pending", probe.messageState(id), "FCM's acceptance not recorded yet");

    server.kill();
    server.start();

    awaitAcked(List.of(id));
    assertEquals(
        2, fcm.receivedCount(id), "sent again after the restart, once: the acceptance was lost");
  }

  private void awaitAcked(List<String> ids) throws Exception {
    Probe probe = new Probe(server.application().toURL());
    emulator.await(
        () -> ids.stream().allMatch(id -> "acked".equals(probe.messageState(id))),
        WAIT,
        "acked and recorded in the outbox: " + ids.get(0) + "…");
  }

  private static List<String> ids(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
  }
}
