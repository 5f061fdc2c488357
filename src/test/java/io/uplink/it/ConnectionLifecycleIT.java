package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.AuthFailure;
import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.EmulatedConnection;
import io.uplink.emulator.Upstream;
import io.uplink.emulator.WireStanza;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Connections come and go (draining, abrupt drops, bad keys, idle time) and no acked message is
 * lost, none is delivered twice.
 */
@RunAsClient
class ConnectionLifecycleIT extends GatewayIntegrationTest {

  private static final String BAD_SENDER = "999000999";

  /** How much one failed attempt's own duration (connect, TLS, SASL) may vary. */
  private static final Duration ATTEMPT_JITTER = Duration.ofMillis(100);

  private static final int MESSAGES = 300;

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, GatewayDeployment.SERVER_KEY)
            .sender(BAD_SENDER, "the-real-key-of-the-bad-sender")
            .redeliveryDelay(Duration.ofSeconds(2))
            .build()
            .start();
    return GatewayDeployment.of(
        emulator,
        Map.of(
            "uplink.ccs.ping-interval", "PT1S",
            "uplink.ccs.senders", "bad",
            "uplink.ccs.bad.sender-id", BAD_SENDER,
            "uplink.ccs.bad.server-key", "a-wrong-key-for-the-bad-sender",
            "uplink.ccs.bad.connections", "1"));
  }

  @Test
  void drainedConnectionIsReplacedAndLosesNothing() {
    messagesSurvive(
        "drain",
        connection -> {
          connection.drain();
          sleep(300);
          connection.close();
        });
    assertTrue(
        emulator.events().stream()
            .anyMatch(e -> e.kind() == io.uplink.emulator.ConnectionEvent.Kind.DRAINING));
  }

  /**
   * After CONNECTION_DRAINING the old stream stays open until CCS closes it (ccs-protocol.md §4.5):
   * an upstream message CCS sends on it meanwhile is acked on it, downstream messages go out on the
   * other connections only, and the emulator sees no violation.
   */
  @Test
  void drainingConnectionKeepsAckingOnTheOldStreamUntilCcsClosesIt() {
    EmulatedConnection old = emulator.openConnections(SENDER_ID).get(0);
    old.drain();
    emulator.await(
        () -> emulator.openConnections(SENDER_ID).size() == 3,
        WAIT,
        "the replacement open beside the draining stream");

    Upstream message = new Upstream("draining-device", APP, "while-draining", Map.of());
    emulator.inject(SENDER_ID, message);
    emulator.await(
        () -> !emulator.validAcksFor("while-draining").isEmpty(), WAIT, "acked where delivered");
    emulator.redeliver(SENDER_ID, message.from(), message.messageId(), old);
    emulator.await(
        () ->
            emulator.validAcksFor("while-draining").stream()
                .anyMatch(ack -> ack.connectionId().equals(old.id())),
        WAIT,
        "the copy CCS sent on the draining stream acked on that stream");
    assertTrue(old.isOpen(), "the gateway leaves closing the draining stream to CCS");

    Map<String, String> sent = probe.send("draining-token-{n}", "during-drain", 20, false);
    assertTrue(sent.values().stream().allMatch("ACKED"::equals), sent::toString);
    assertTrue(
        emulator.downstream().stream()
            .filter(r -> r.messageId().startsWith("during-drain-"))
            .noneMatch(r -> r.connectionId().equals(old.id())),
        "nothing sent on the draining stream");
    assertEquals(List.of(), emulator.violations());

    old.close();
    emulator.awaitConnections(SENDER_ID, 2, WAIT);
    assertEquals(1L, probe.deliveriesPerMessageId().get("while-draining"), "delivered once");
  }

  @Test
  void abruptlyDroppedConnectionIsReopenedAndLosesNothing() {
    messagesSurvive("drop", EmulatedConnection::dropAbruptly);
  }

  /**
   * CCS delivers what waited for a connection as soon as the new one is bound, before it answers
   * the session request that completes the gateway's login: those messages are acked at once, on
   * that connection, so none needs CCS's redelivery (2 s here, shorter than the 3 s wait).
   */
  @Test
  void messagesDeliveredBeforeTheLoginCompletesAreAckedAtOnce() {
    List<String> ids = new ArrayList<>();
    emulator.delaySessionReplies(Duration.ofSeconds(3));
    try {
      emulator.openConnections(SENDER_ID).forEach(EmulatedConnection::dropAbruptly);
      for (int i = 0; i < 50; i++) {
        String id = "early-" + i;
        emulator.inject(
            SENDER_ID, new Upstream("early-device-" + (i % 5) + "-0123456789", APP, id, Map.of()));
        ids.add(id);
      }
      emulator.awaitAllAcked(WAIT);
    } finally {
      emulator.delaySessionReplies(Duration.ZERO);
    }
    emulator.awaitConnections(SENDER_ID, 2, WAIT);

    List<String> written =
        emulator.stanzas().stream()
            .filter(s -> s.direction() == WireStanza.Direction.OUTBOUND)
            .map(WireStanza::xml)
            .toList();
    Map<String, Long> deliveries = probe.deliveriesPerMessageId();
    for (String id : ids) {
      String field = "\"message_id\":\"" + id + "\"";
      assertEquals(
          1, written.stream().filter(xml -> xml.contains(field)).count(), id + " sent once");
      assertEquals(1L, deliveries.get(id), id + " delivered once");
    }
  }

  private void messagesSurvive(String prefix, Consumer<EmulatedConnection> fault) {
    int connectionsBefore = emulator.connections().size();
    EmulatedConnection victim = emulator.openConnections(SENDER_ID).get(0);
    for (int i = 0; i < MESSAGES; i++) {
      emulator.inject(
          SENDER_ID, new Upstream(prefix + "-device-" + (i % 10), APP, prefix + "-" + i, Map.of()));
      if (i == MESSAGES / 2) {
        fault.accept(victim);
      }
    }

    emulator.awaitAllAcked(WAIT);
    emulator.awaitConnections(SENDER_ID, 2, WAIT);

    Map<String, Long> deliveries = probe.deliveriesPerMessageId();
    for (int i = 0; i < MESSAGES; i++) {
      assertEquals(1L, deliveries.get(prefix + "-" + i), "deliveries of " + prefix + "-" + i);
    }
    assertTrue(emulator.connections().size() > connectionsBefore, "a new connection was opened");
    assertTrue(!victim.isOpen());
  }

  @Test
  void wrongKeyBacksOffInsteadOfLooping() throws Exception {
    emulator.await(() -> badSenderFailures().size() >= 6, WAIT, "six failed attempts");
    // Backoff from 0.2 s doubling, jittered in the upper half of each ceiling: every delay is at
    // least the one before it, and the fifth at least 0.8 s and, allowing for each attempt's own
    // duration, at least 4 times the first (its ceiling is 16 times the first's). A loop without
    // backoff makes gaps of a few milliseconds; a backoff that does not grow makes the fifth gap
    // no longer than the first.
    List<AuthFailure> failures = badSenderFailures().subList(0, 6);
    List<Duration> gaps =
        IntStream.range(1, failures.size())
            .mapToObj(i -> Duration.between(failures.get(i - 1).at(), failures.get(i).at()))
            .toList();
    for (int i = 1; i < gaps.size(); i++) {
      assertTrue(
          gaps.get(i).compareTo(gaps.get(i - 1).minus(ATTEMPT_JITTER)) >= 0,
          "gaps between failed attempts grow: " + gaps);
    }
    Duration last = gaps.get(gaps.size() - 1);
    assertTrue(last.compareTo(Duration.ofMillis(800)) >= 0, "the fifth gap backed off: " + gaps);
    assertTrue(last.compareTo(gaps.get(0).multipliedBy(4)) >= 0, "the delay doubles: " + gaps);
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      emulator.await(
          () -> "BACKING_OFF".equals(state(jmx, BAD_SENDER)), WAIT, "the bad sender backing off");
      assertEquals("CONNECTED", state(jmx, SENDER_ID));
    }
  }

  @Test
  void notReadyWhileASenderHasNoConnection() {
    HttpResponse<String> ready = probe.health("ready");
    assertEquals(503, ready.statusCode(), ready.body());
    assertTrue(ready.body().contains("\"sender " + BAD_SENDER + "\":\"0/1\""), ready.body());
    assertEquals(200, probe.health("live").statusCode(), "a bad key does not make it dead");
  }

  @Test
  void idleConnectionsArePingedAndStayOpen() {
    emulator.await(
        () ->
            emulator.stanzas().stream()
                .filter(s -> s.direction() == WireStanza.Direction.INBOUND)
                .anyMatch(s -> s.xml().contains("urn:xmpp:ping")),
        WAIT,
        "a ping from the gateway");
    assertEquals(2, emulator.openConnections(SENDER_ID).size());
  }

  private static String state(GatewayJmx jmx, String senderId) {
    try {
      return jmx.connectionState(senderId, 0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<AuthFailure> badSenderFailures() {
    return emulator.authFailures().stream()
        .filter(f -> f.authenticationId() != null && f.authenticationId().startsWith(BAD_SENDER))
        .toList();
  }
}
