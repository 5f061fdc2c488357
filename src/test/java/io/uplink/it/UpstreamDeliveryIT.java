package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.AckRecord;
import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.EmulatedConnection;
import io.uplink.emulator.MalformedDelivery;
import io.uplink.emulator.Upstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upstream messages flow through the real WAR on Payara Micro, against the CCS emulator. */
@RunAsClient
class UpstreamDeliveryIT extends GatewayIntegrationTest {

  private static final String PROMO_SENDER = "555000555";

  private List<EmulatedConnection> connections;

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, GatewayDeployment.SERVER_KEY)
            .sender(PROMO_SENDER, "promo-server-key")
            .redeliveryDelay(Duration.ofMinutes(5))
            .build()
            .start();
    return GatewayDeployment.of(
        emulator,
        Map.of(
            "uplink.ccs.senders", "promo",
            "uplink.ccs.promo.sender-id", PROMO_SENDER,
            "uplink.ccs.promo.server-key", "promo-server-key",
            "uplink.ccs.promo.connections", "1"));
  }

  @BeforeEach
  void knowConnections() {
    connections = emulator.openConnections(SENDER_ID);
  }

  @Test
  void poolOpensTheConfiguredConnectionsAndShowsThemOverJmx() throws Exception {
    assertEquals(2, connections.size());
    assertTrue(
        connections.stream().allMatch(c -> c.jid().startsWith(SENDER_ID + "@gcm.googleapis.com/")));
    assertNotEquals(
        connections.get(0).jid(), connections.get(1).jid(), "one resource per connection");
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      assertEquals("CONNECTED", jmx.connectionState(SENDER_ID, 0));
      assertEquals("CONNECTED", jmx.connectionState(SENDER_ID, 1));
    }
  }

  @Test
  void readyWhileEverySenderHasAConnectionAndAlive() {
    emulator.awaitConnections(PROMO_SENDER, 1, WAIT);
    HttpResponse<String> ready = probe.health("ready");
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(ready.body().contains("\"sender " + SENDER_ID + "\":\"2/2\""), ready.body());
    HttpResponse<String> live = probe.health("live");
    assertEquals(200, live.statusCode(), live.body());
    assertTrue(live.body().contains("uplink-threads"), live.body());
  }

  @Test
  void messagesFromManyDevicesAreDeliveredOnceAndAckedOnTheirConnection() throws Exception {
    long deliveredBefore;
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      deliveredBefore = jmx.upstream("Delivered");
    }
    List<String> ids = new ArrayList<>();
    for (int device = 0; device < 6; device++) {
      for (int n = 0; n < 10; n++) {
        String id = "flow-" + device + "-" + n;
        ids.add(id);
        emulator.inject(
            SENDER_ID, new Upstream("flow-device-" + device, APP, id, Map.of("n", "" + n)));
      }
    }

    emulator.awaitAllAcked(WAIT);

    Map<String, Long> deliveries = probe.deliveriesPerMessageId();
    for (String id : ids) {
      assertEquals(1L, deliveries.get(id), "deliveries of " + id);
      List<AckRecord> acks = emulator.validAcksFor(id);
      assertEquals(1, acks.size(), "valid acks of " + id);
    }
    List<AckRecord> invalid =
        emulator.acks().stream()
            .filter(ack -> ids.contains(ack.messageId()) && !ack.valid())
            .toList();
    assertEquals(List.of(), invalid, "invalid acks of this test's messages");
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      assertEquals(deliveredBefore + ids.size(), jmx.upstream("Delivered"));
    }
  }

  @Test
  void redeliveryOnTheSameConnectionIsAckedAgainButNotFired() throws Exception {
    redeliveredMessageIsAckedButFiredOnce("same-conn", true);
  }

  @Test
  void redeliveryOnAnotherConnectionIsAckedAgainButNotFired() throws Exception {
    redeliveredMessageIsAckedButFiredOnce("other-conn", false);
  }

  private void redeliveredMessageIsAckedButFiredOnce(String id, boolean sameConnection)
      throws Exception {
    String device = "dup-device-" + id;
    emulator.inject(SENDER_ID, new Upstream(device, APP, id, Map.of()));
    emulator.awaitAllAcked(WAIT);
    String ackedOn = emulator.validAcksFor(id).get(0).connectionId();
    EmulatedConnection firstConnection = emulator.connection(ackedOn);
    EmulatedConnection secondConnection =
        sameConnection
            ? firstConnection
            : connections.stream().filter(c -> !c.id().equals(ackedOn)).findFirst().orElseThrow();
    long duplicatesBefore;
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      duplicatesBefore = jmx.upstream("Duplicates");
    }

    emulator.redeliver(SENDER_ID, device, id, secondConnection);
    emulator.await(() -> emulator.validAcksFor(id).size() == 2, WAIT, "second ack of " + id);

    assertEquals(secondConnection.id(), emulator.validAcksFor(id).get(1).connectionId());
    assertEquals(1L, probe.deliveriesPerMessageId().get(id));
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      assertEquals(duplicatesBefore + 1, jmx.upstream("Duplicates"));
    }
  }

  @Test
  void secondSenderIsServedOnItsOwnConnection() {
    EmulatedConnection promo = emulator.awaitConnections(PROMO_SENDER, 1, WAIT).get(0);
    emulator.inject(PROMO_SENDER, new Upstream("promo-device", APP, "promo-1", Map.of()));

    emulator.awaitAllAcked(WAIT);

    assertEquals(promo.id(), emulator.validAcksFor("promo-1").get(0).connectionId());
    List<Map<String, Object>> rows = probe.delivered("promo-1");
    assertEquals(1, rows.size());
    assertEquals(PROMO_SENDER, rows.get(0).get("senderId"));
  }

  @Test
  void categoryQualifierSelectsTheMessagesOfOneApplication() {
    emulator.inject(
        SENDER_ID, new Upstream("other-device", "com.example.other", "other-1", Map.of()));
    emulator.inject(SENDER_ID, new Upstream("other-device", APP, "not-other-1", Map.of()));
    emulator.awaitAllAcked(WAIT);

    assertEquals(List.of("other-1"), probe.otherApp());
    assertEquals(1L, probe.deliveriesPerMessageId().get("not-other-1"));
  }

  @Test
  void badStanzasAreRejectedCountedNeverFiredAndAckedWhenTheyHaveAnId() throws Exception {
    EmulatedConnection connection = connections.get(0);
    long rejectedBefore;
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      rejectedBefore = jmx.upstream("Rejected");
    }

    malformed(
        connection,
        "bad-device",
        "bad-no-category",
        "{\"from\":\"bad-device\",\"message_id\":\"bad-no-category\"}");
    malformed(
        connection,
        "bad-device",
        "bad-big",
        "{\"from\":\"bad-device\",\"message_id\":\"bad-big\",\"category\":\"c\",\"data\":{\"k\":\""
            + "x".repeat(4097)
            + "\"}}");
    connection.sendRaw(gcm("{\"from\":\"bad-device\",\"message_id\":7,\"category\":\"c\"}"));
    connection.sendRaw(gcm("{not json"));
    connection.sendRaw("<message><gcm xmlns=\"google:mobile:data\"><evil/>{}</gcm></message>");

    emulator.await(
        () -> ackedIds(connection).containsAll(List.of("bad-no-category", "bad-big")),
        WAIT,
        "acks of the rejected messages that have ids");
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      emulator.await(() -> rejected(jmx) == rejectedBefore + 5, WAIT, "5 more rejects");
      assertTrue(jmx.rejectedByReason("MALFORMED_XML") >= 1);
      assertTrue(jmx.rejectedByReason("OVERSIZED_DATA") >= 1);
    }
    assertTrue(
        PrometheusText.parse(probe.metrics())
                .sum(
                    "uplink_upstream_rejected_total",
                    Map.of("sender", SENDER_ID, "reason", "OVERSIZED_DATA"))
            >= 1);
    assertTrue(connection.isOpen(), "bad stanzas do not cost the connection");
    emulator.inject(SENDER_ID, new Upstream("bad-device", APP, "good-after-bad", Map.of()));
    emulator.awaitAllAcked(WAIT);
    Map<String, Long> deliveries = probe.deliveriesPerMessageId();
    assertEquals(1L, deliveries.get("good-after-bad"));
    assertTrue(
        deliveries.keySet().stream().noneMatch(id -> id.startsWith("bad-")), deliveries::toString);
  }

  /**
   * Hostile input on a live stream of the deployed gateway: JSON nested 5,000 deep (which
   * overflowed the JSON binding's stack and was silently dropped before the depth check), a 4 MiB
   * stanza, and a DOCTYPE declaring entities mid-stream. The first two are rejected, counted and
   * acked on a connection that stays open; the DOCTYPE may cost its connection, which the gateway
   * reopens. The gateway stays alive and delivers the next message as usual.
   */
  @Test
  void hostileInputOnALiveStreamIsRejectedWithoutHarmingTheGateway() throws Exception {
    EmulatedConnection connection = connections.get(0);
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long rejectedBefore = jmx.upstream("Rejected");
      malformed(
          connection,
          "hostile-device",
          "hostile-deep",
          "{\"from\":\"hostile-device\",\"message_id\":\"hostile-deep\",\"category\":\"c\","
              + "\"data\":{\"k\":"
              + "[".repeat(5000)
              + "]".repeat(5000)
              + "}}");
      malformed(
          connection,
          "hostile-device",
          "hostile-huge",
          "{\"from\":\"hostile-device\",\"message_id\":\"hostile-huge\",\"category\":\"c\","
              + "\"data\":{\"k\":\""
              + "x".repeat(4 << 20)
              + "\"}}");
      emulator.await(
          () -> jmx.upstreamTotal("Rejected") == rejectedBefore + 2, WAIT, "both rejected");
      assertTrue(jmx.rejectedByReason("OVERSIZED_STANZA") >= 1);
      assertTrue(jmx.rejectedByReason("TOO_DEEP") >= 1);
      emulator.await(
          () -> ackedIds(connection).containsAll(List.of("hostile-deep", "hostile-huge")),
          WAIT,
          "both acked, so that CCS stops redelivering them");
      assertTrue(connection.isOpen(), "rejected input does not cost the connection");

      connection.sendRaw(
          "<!DOCTYPE lol [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]>"
              + "<message type=\"normal\"><gcm xmlns=\"google:mobile:data\">&lol2;</gcm></message>");
      emulator.await(
          () -> emulator.openConnections(SENDER_ID).size() == 2,
          WAIT,
          "two connections open again, or still");
      emulator.inject(
          SENDER_ID, new Upstream("hostile-device", APP, "calm-after-hostile", Map.of()));
      emulator.awaitAllAcked(WAIT);
      assertEquals(1L, probe.deliveriesPerMessageId().get("calm-after-hostile"));
      assertEquals(200, probe.health("live").statusCode(), "lanes and dispatchers alive");
      assertTrue(
          probe.deliveriesPerMessageId().keySet().stream()
              .noneMatch(id -> id.startsWith("hostile-")));
    }
  }

  private static long rejected(GatewayJmx jmx) {
    try {
      return jmx.upstream("Rejected");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> ackedIds(EmulatedConnection connection) {
    return emulator.acks().stream()
        .filter(a -> a.connectionId().equals(connection.id()))
        .map(AckRecord::messageId)
        .toList();
  }

  /** Delivers a malformed message that names a device and an id: it awaits its ack. */
  private static void malformed(
      EmulatedConnection connection, String from, String messageId, String json) {
    emulator.deliverMalformed(new MalformedDelivery(from, messageId, gcm(json)), connection);
  }

  private static String gcm(String json) {
    return "<message type=\"normal\"><gcm xmlns=\"google:mobile:data\">"
        + json.replace("&", "&amp;").replace("<", "&lt;")
        + "</gcm></message>";
  }
}
