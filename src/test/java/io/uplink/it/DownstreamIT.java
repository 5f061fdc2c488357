package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import io.uplink.emulator.EmulatedConnection;
import io.uplink.emulator.WireStanza;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Downstream messages sent through the CDI API go out over the pool within CCS's window, and every
 * answer CCS can give is handled as ccs-protocol.md §3.4 asks; nothing accepted is lost when a
 * connection drains or drops.
 */
@RunAsClient
class DownstreamIT extends GatewayIntegrationTest {

  private static final String TOKEN = "downstream-token-0123456789abcdef";
  private static final String OLD_TOKEN = "old-token-0123456789abcdef";
  private static final String CANONICAL_TOKEN = "canonical-token-0123456789abcdef";

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, GatewayDeployment.SERVER_KEY)
            .redeliveryDelay(Duration.ofSeconds(5))
            .canonicalToken(OLD_TOKEN, CANONICAL_TOKEN)
            .build()
            .start();
    return GatewayDeployment.of(
        emulator,
        Map.of(
            "uplink.downstream.retry-initial", "PT0.2S",
            "uplink.downstream.send-timeout", "PT20S",
            "uplink.upstream.max-attempts", "30"));
  }

  @AfterEach
  void answerAgain() {
    emulator.releaseAnswers();
  }

  @Test
  void sentMessageIsAckedAndCompletesTheSend() throws Exception {
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long ackedBefore = jmx.downstream("Acked");
      Map<String, String> outcomes = probe.send(TOKEN, "single", 1, false);

      assertEquals(Map.of("single-0", "ACKED"), outcomes);
      DownstreamRecord record = recordsWithPrefix("single-0").get(0);
      assertEquals(TOKEN, record.to());
      assertTrue(record.json().contains("\"data\":{\"n\":\"0\"}"), record.json());
      assertEquals(ackedBefore + 1, jmx.downstream("Acked"));
    }
  }

  @Test
  void manySendsAreSpreadOverTheConnectionsAndEachIsSentOnce() {
    Map<String, String> outcomes = probe.send(TOKEN, "many", 400, false);

    assertEquals(400, outcomes.size());
    assertTrue(outcomes.values().stream().allMatch("ACKED"::equals), outcomes::toString);
    Set<String> connectionsUsed =
        recordsWithPrefix("many-").stream()
            .map(DownstreamRecord::connectionId)
            .collect(Collectors.toSet());
    assertEquals(2, connectionsUsed.size(), "both connections carried messages");
    assertEquals(400, recordsWithPrefix("many-").size(), "each message sent once");
  }

  @Test
  void noConnectionEverHasMoreThanOneHundredUnanswered() throws Exception {
    emulator.holdAnswers();
    CompletableFuture<Map<String, String>> sending = sendInBackground("window", 260);
    emulator.await(
        () ->
            emulator.openConnections(SENDER_ID).stream()
                    .mapToInt(EmulatedConnection::pendingDownstream)
                    .sum()
                == 200,
        WAIT,
        "both windows full");
    List<EmulatedConnection> connections = emulator.openConnections(SENDER_ID);

    emulator.releaseAnswers();

    Map<String, String> outcomes = sending.get(60, TimeUnit.SECONDS);
    assertTrue(outcomes.values().stream().allMatch("ACKED"::equals), outcomes::toString);
    for (EmulatedConnection connection : connections) {
      assertEquals(
          100,
          emulator.maxPending(connection.id()),
          "filled, never overfilled (a message into a full window counts as 101): "
              + connection.id());
    }
  }

  @Test
  void messagesPendingOnADroppedConnectionAreSentAgain() throws Exception {
    nothingIsLostWhen("drop", EmulatedConnection::dropAbruptly);
  }

  /**
   * CCS drains a connection and closes it with every answer still held: what was pending on it is
   * never answered (§4.3), so the gateway sends it again on the other connection.
   */
  @Test
  void messagesSurviveADrainedConnection() throws Exception {
    nothingIsLostWhen(
        "drain",
        connection -> {
          connection.drain();
          sleep(500);
          connection.close();
        });
  }

  private void nothingIsLostWhen(String prefix, Consumer<EmulatedConnection> fault)
      throws Exception {
    emulator.holdAnswers();
    CompletableFuture<Map<String, String>> sending = sendInBackground(prefix, 150);
    emulator.await(
        () -> recordsWithPrefix(prefix + "-").size() >= 150, WAIT, "150 messages on the wire");
    EmulatedConnection victim =
        emulator.connection(recordsWithPrefix(prefix + "-").get(0).connectionId());

    int pendingOnTheVictim = victim.pendingDownstream();
    assertTrue(pendingOnTheVictim > 0, "messages pending on the connection the fault hits");
    fault.accept(victim);
    emulator.releaseAnswers();

    Map<String, String> outcomes = sending.get(60, TimeUnit.SECONDS);
    assertEquals(150, outcomes.size());
    assertTrue(outcomes.values().stream().allMatch("ACKED"::equals), outcomes::toString);
    for (int i = 0; i < 150; i++) {
      String id = prefix + "-" + i;
      assertTrue(
          recordsWithPrefix(id).stream()
              .anyMatch(
                  r -> r.messageId().equals(id) && r.outcome() == DownstreamRecord.Outcome.ACKED),
          id + " was acked by CCS");
    }
    List<String> sentAgain =
        recordsWithPrefix(prefix + "-").stream()
            .filter(r -> r.connectionId().equals(victim.id()))
            .filter(r -> r.outcome() == DownstreamRecord.Outcome.UNANSWERED)
            .map(DownstreamRecord::messageId)
            .filter(
                id ->
                    recordsWithPrefix(id).stream()
                        .anyMatch(
                            r ->
                                r.messageId().equals(id)
                                    && !r.connectionId().equals(victim.id())
                                    && r.outcome() == DownstreamRecord.Outcome.ACKED))
            .toList();
    assertEquals(
        pendingOnTheVictim,
        sentAgain.size(),
        "each message left unanswered by the fault was sent again on another connection");
    emulator.awaitConnections(SENDER_ID, 2, WAIT);
  }

  @Test
  void unregisteredTokenFailsTheSendAndTellsTheApplication() {
    String dead = "dead-token-0123456789abcdef";
    emulator.unregisterToken(dead);

    Map<String, String> outcomes = probe.send(dead, "dead", 1, false);

    assertEquals(Map.of("dead-0", "NACKED DEVICE_UNREGISTERED"), outcomes);
    emulator.await(
        () -> probe.downstreamEvents().contains("invalidated " + dead + " DEVICE_UNREGISTERED"),
        WAIT,
        "TokenInvalidated event");
  }

  /**
   * The application's TokenInvalidated observer fails until it is healed: the event, recorded with
   * the nack, is attempted again with backoff and reaches the observer exactly once afterwards.
   */
  @Test
  void tokenEventWhoseObserverFailsIsRetriedUntilHandledOnce() throws Exception {
    String dead = "retried-dead-token-0123456789abcdef";
    emulator.unregisterToken(dead);
    probe.failTokenEvents(dead, true);
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long failuresBefore = jmx.downstream("EventFailures");

      assertEquals(
          Map.of("retried-dead-0", "NACKED DEVICE_UNREGISTERED"),
          probe.send(dead, "retried-dead", 1, false));
      emulator.await(
          () -> jmx.downstreamTotal("EventFailures") >= failuresBefore + 3,
          WAIT,
          "the event attempted three times, failing");
      probe.failTokenEvents(dead, false);
    }

    String event = "invalidated " + dead + " DEVICE_UNREGISTERED";
    emulator.await(() -> probe.downstreamEvents().contains(event), WAIT, "the event handled");
    assertEquals(1, probe.downstreamEvents().stream().filter(event::equals).count());
  }

  @Test
  void serviceUnavailableIsRetriedWithBackoffUntilAcked() throws Exception {
    String token = "flaky-token-0123456789abcdef";
    emulator.failNext(token, "SERVICE_UNAVAILABLE", 2);

    Map<String, String> outcomes = probe.send(token, "flaky", 1, false);

    assertEquals(Map.of("flaky-0", "ACKED"), outcomes);
    List<DownstreamRecord> attempts = emulator.downstreamFor(token);
    assertEquals(3, attempts.size(), attempts::toString);
    Duration firstGap =
        Duration.between(attempts.get(0).receivedAt(), attempts.get(1).receivedAt());
    assertTrue(firstGap.toMillis() >= 200, "backed off before retrying: " + firstGap);
  }

  @Test
  void anEndThatCannotBeRecordedIsRecordedLaterAndItsTokenEventFiresOnce() throws Exception {
    String dead = "locked-dead-token-0123456789abcdef";
    emulator.unregisterToken(dead);
    emulator.holdAnswers();
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long retriesBefore = jmx.downstreamTotal("RecordRetries");
      CompletableFuture<Map<String, String>> sent =
          CompletableFuture.supplyAsync(() -> probe.send(dead, "locked", 1, false));
      emulator.await(() -> !emulator.downstreamFor(dead).isEmpty(), WAIT, "the message sent");
      CompletableFuture<Void> lock =
          CompletableFuture.runAsync(() -> probe.holdOutboxRow("locked-0", 8_000));
      emulator.await(() -> probe.outboxRowHeld("locked-0"), WAIT, "its outbox row locked");

      emulator.releaseAnswers();
      emulator.await(
          () -> jmx.downstreamTotal("RecordRetries") > retriesBefore,
          WAIT,
          "recording the nack failed on the locked row");
      assertFalse(sent.isDone(), "the caller learns the outcome only once it is recorded");
      lock.get(30, TimeUnit.SECONDS);

      assertEquals(
          Map.of("locked-0", "NACKED DEVICE_UNREGISTERED"), sent.get(30, TimeUnit.SECONDS));
    }
    assertEquals("nacked", probe.messageState("locked-0"));
    String event = "invalidated " + dead + " DEVICE_UNREGISTERED";
    emulator.await(() -> probe.downstreamEvents().contains(event), WAIT, "the token invalidated");
    emulator.await(
        () -> probe.tokenEventsWaiting(dead) == 0, WAIT, "every recorded event handed over");
    assertEquals(1, probe.downstreamEvents().stream().filter(event::equals).count());
    assertEquals(1, emulator.downstreamFor(dead).size(), "sent once");
  }

  @Test
  void sendEachAcceptsTheListInOneCallAndRefusesARepeatedIdByItself() {
    List<String> outcomes = probe.sendEach("each-token-{n}-0123456789abcdef", "each", 3);

    assertEquals(
        List.of(
            "each-0 ACKED",
            "each-1 ACKED",
            "each-2 ACKED",
            "each-0 REFUSED message_id comes twice in the batch"),
        outcomes);
    for (int i = 0; i < 3; i++) {
      assertEquals(1, emulator.downstreamCount("each-" + i), "each-" + i + " sent once");
    }
  }

  @Test
  void invalidJsonNackIsNotRetried() {
    String token = "strict-token-0123456789abcdef";
    emulator.failNext(token, "INVALID_JSON", 1);

    assertEquals(Map.of("strict-0", "NACKED INVALID_JSON"), probe.send(token, "strict", 1, false));
    assertEquals(1, emulator.downstreamFor(token).size());
  }

  @Test
  void connectionDrainingNackIsResentAtOnce() {
    String token = "draining-token-0123456789abcdef";
    emulator.failNext(token, "CONNECTION_DRAINING", 1);

    assertEquals(Map.of("drained-0", "ACKED"), probe.send(token, "drained", 1, false));

    List<DownstreamRecord> attempts = emulator.downstreamFor(token);
    assertEquals(2, attempts.size(), attempts::toString);
    Duration gap = Duration.between(attempts.get(0).receivedAt(), attempts.get(1).receivedAt());
    assertTrue(gap.toMillis() < 200, "resent without backoff: " + gap);
  }

  @Test
  void stanzaErrorFailsTheSendItNames() throws Exception {
    String token = "stanza-token-0123456789abcdef";
    emulator.failNext(token, CcsEmulator.STANZA_ERROR_FAULT, 1);
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long stanzaErrorsBefore = jmx.downstream("StanzaErrors");

      Map<String, String> outcomes = probe.send(token, "stanza", 1, false);

      assertTrue(outcomes.get("stanza-0").startsWith("NACKED STANZA_ERROR"), outcomes::toString);
      assertEquals(stanzaErrorsBefore + 1, jmx.downstream("StanzaErrors"));
    }
  }

  @Test
  void canonicalRegistrationIdIsHandedToTheApplication() {
    assertEquals(Map.of("canon-0", "ACKED"), probe.send(OLD_TOKEN, "canon", 1, false));
    emulator.await(
        () -> probe.downstreamEvents().contains("canonical " + OLD_TOKEN + " " + CANONICAL_TOKEN),
        WAIT,
        "CanonicalTokenReceived event");
  }

  @Test
  void deliveryReceiptIsAckedAndHandedToTheApplication() {
    String token = "receipt-token-0123456789abcdef";
    assertEquals(Map.of("receipt-0", "ACKED"), probe.send(token, "receipt", 1, true));

    emulator.await(
        () -> probe.downstreamEvents().contains("receipt receipt-0 " + token),
        WAIT,
        "DeliveryReceipt event");
    emulator.awaitAllAcked(WAIT);
    assertEquals(1, emulator.validAcksFor("dr2:receipt-0").size());

    emulator.redeliver(
        SENDER_ID,
        "gcm.googleapis.com",
        "dr2:receipt-0",
        emulator.openConnections(SENDER_ID).get(0));
    emulator.await(
        () -> emulator.validAcksFor("dr2:receipt-0").size() == 2, WAIT, "the copy acked too");
    assertEquals(
        1,
        probe.downstreamEvents().stream().filter(e -> e.startsWith("receipt receipt-0 ")).count(),
        "a redelivered receipt is not fired again");
  }

  /**
   * The receipt's observer fails once: the receipt must not be acked before it is handled, so CCS
   * delivers it again and it reaches the application exactly once.
   */
  @Test
  void receiptWhoseObserverFailsIsRedeliveredAndHandedOverOnce() {
    String token = "receipt-fail-token-0123456789abcdef";
    assertEquals(Map.of("receipt-fail-0", "ACKED"), probe.send(token, "receipt-fail", 1, true));

    emulator.await(
        () -> probe.downstreamEvents().contains("receipt receipt-fail-0 " + token),
        WAIT,
        "DeliveryReceipt event after CCS redelivered the receipt");
    emulator.await(
        () -> emulator.validAcksFor("dr2:receipt-fail-0").size() == 1, WAIT, "receipt acked");
    assertEquals(
        1,
        probe.downstreamEvents().stream()
            .filter(e -> e.startsWith("receipt receipt-fail-0 "))
            .count());
    long deliveriesOnTheWire =
        emulator.stanzas().stream()
            .filter(s -> s.direction() == WireStanza.Direction.OUTBOUND)
            .filter(s -> s.xml().contains("dr2:receipt-fail-0"))
            .count();
    assertTrue(deliveriesOnTheWire >= 2, "CCS had to redeliver it: " + deliveriesOnTheWire);
  }

  private CompletableFuture<Map<String, String>> sendInBackground(String prefix, int count) {
    return CompletableFuture.supplyAsync(() -> probe.send(TOKEN, prefix, count, false));
  }

  private static List<DownstreamRecord> recordsWithPrefix(String prefix) {
    return emulator.downstream().stream()
        .filter(r -> r.messageId() != null && r.messageId().startsWith(prefix))
        .toList();
  }
}
