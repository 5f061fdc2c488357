package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream flow control (ccs-protocol.md §4.2): no more than {@code maxUnackedUpstream} deliveries
 * await an ack on a connection; the rest wait and go out when acks make room.
 */
class UpstreamFlowControlTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final Pattern MESSAGE_ID = Pattern.compile("\"message_id\":\"([^\"]+)\"");

  private CcsEmulator emulator;

  private void start(UnaryOperator<CcsEmulator.Builder> configuration) {
    emulator = configuration.apply(CcsEmulator.builder().sender(SENDER, KEY)).build().start();
  }

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private void inject(String prefix, int count) {
    for (int i = 1; i <= count; i++) {
      emulator.inject(SENDER, new Upstream("device-1", "com.example.app", prefix + i, Map.of()));
    }
  }

  private static long outboundMentioning(CcsEmulator emulator, String connectionId, String part) {
    return emulator.stanzas(connectionId).stream()
        .filter(s -> s.direction() == WireStanza.Direction.OUTBOUND && s.xml().contains(part))
        .count();
  }

  /** The message ids written to the connection, in wire order (Smack's listener may reorder). */
  private List<String> deliveredIds(String connectionId) {
    return emulator.stanzas(connectionId).stream()
        .filter(s -> s.direction() == WireStanza.Direction.OUTBOUND)
        .map(s -> MESSAGE_ID.matcher(s.xml()))
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .toList();
  }

  private static int byNumber(String a, String b) {
    return Integer.compare(
        Integer.parseInt(a.substring(a.indexOf('-') + 1)),
        Integer.parseInt(b.substring(b.indexOf('-') + 1)));
  }

  @Test
  void clientThatNeverAcksGetsAtMostTheLimitAndTheRestArriveAfterAcks() throws Exception {
    start(b -> b.maxUnackedUpstream(5).redeliveryDelay(Duration.ofSeconds(30)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      String connection = client.serverSide(emulator).id();
      inject("m-", 12);

      List<String> received = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        received.add(client.nextJson(WAIT).getString("message_id"));
      }
      assertNull(client.nextGcm(SHORT), "a sixth delivery while five are unacked");
      assertEquals(5, emulator.unackedUpstream(connection));
      assertEquals(7, emulator.waitingUpstream(SENDER));
      assertEquals(12, emulator.unacked(SENDER).size());

      int acked = 0;
      while (acked < 12) {
        int batchEnd = received.size();
        for (String id : List.copyOf(received.subList(acked, batchEnd))) {
          client.ack("device-1", id);
        }
        acked = batchEnd;
        int expectedNext = Math.min(5, 12 - batchEnd);
        for (int i = 0; i < expectedNext; i++) {
          received.add(client.nextJson(WAIT).getString("message_id"));
        }
        assertTrue(emulator.unackedUpstream(connection) <= 5);
      }

      emulator.awaitAllAcked(WAIT);
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= 12; i++) {
        expected.add("m-" + i);
      }
      assertEquals(expected, received.stream().sorted(UpstreamFlowControlTest::byNumber).toList());
      assertEquals(expected, deliveredIds(connection));
      assertEquals(5, emulator.maxUnackedUpstream(connection));
      assertEquals(0, emulator.waitingUpstream(SENDER));
      assertTrue(emulator.acks().stream().allMatch(AckRecord::valid), emulator.acks().toString());
      assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
    }
  }

  @Test
  void redeliveriesWaitForRoomAndGoToAnotherConnectionThatHasIt() throws Exception {
    start(b -> b.maxUnackedUpstream(2).redeliveryDelay(Duration.ofMillis(150)));
    try (SmackCcsClient silent = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      String full = silent.serverSide(emulator).id();
      inject("r-", 2);
      silent.nextJson(WAIT);
      silent.nextJson(WAIT);

      emulator.await(() -> emulator.waitingUpstream(SENDER) == 2, WAIT, "both overdue and held");
      assertNull(silent.nextGcm(Duration.ofMillis(600)), "redelivered to a full connection");
      assertEquals(2, emulator.maxUnackedUpstream(full));

      try (SmackCcsClient acking = SmackCcsClient.connect(emulator, SENDER, KEY)) {
        for (int i = 0; i < 2; i++) {
          JsonObject message = acking.nextJson(WAIT);
          acking.ack("device-1", message.getString("message_id"));
        }
        emulator.awaitAllAcked(WAIT);
      }
      assertEquals(1, outboundMentioning(emulator, full, "\"message_id\":\"r-1\""));
      assertEquals(1, outboundMentioning(emulator, full, "\"message_id\":\"r-2\""));
      assertEquals(0, emulator.unackedUpstream(full), "acked elsewhere, so settled here too");
    }
  }

  @Test
  void messageRedeliveredOnTheSameConnectionHoldsOnePlaceAndOneAckFreesIt() throws Exception {
    start(b -> b.maxUnackedUpstream(2).redeliveryDelay(Duration.ofMillis(100)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      String connection = client.serverSide(emulator).id();
      inject("a-", 1);
      emulator.await(
          () -> outboundMentioning(emulator, connection, "\"message_id\":\"a-1\"") >= 3,
          WAIT,
          "two redeliveries of a-1");
      assertEquals(1, emulator.unackedUpstream(connection));

      client.ack("device-1", "a-1");
      emulator.awaitAllAcked(WAIT);
      assertEquals(0, emulator.unackedUpstream(connection));

      inject("b-", 2);
      for (String id : List.of("b-1", "b-2")) {
        emulator.await(
            () -> outboundMentioning(emulator, connection, "\"message_id\":\"" + id + "\"") >= 1,
            WAIT,
            id + " delivered");
      }
      assertEquals(2, emulator.unackedUpstream(connection));
      client.ack("device-1", "b-1");
      client.ack("device-1", "b-2");
      emulator.awaitAllAcked(WAIT);
    }
  }

  @Test
  void deliveryReceiptWaitsWhileTheConnectionIsFull() throws Exception {
    start(
        b ->
            b.maxUnackedUpstream(1)
                .redeliveryDelay(Duration.ofSeconds(30))
                .receiptDelay(Duration.ofMillis(10)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      inject("u-", 1);
      assertEquals("u-1", client.nextJson(WAIT).getString("message_id"));

      client.sendGcm(
          "{\"to\":\"device-1\",\"message_id\":\"d-1\",\"delivery_receipt_requested\":true}");
      assertEquals("ack", client.nextJson(WAIT).getString("message_type"));
      emulator.await(() -> emulator.waitingUpstream(SENDER) == 1, WAIT, "the receipt to wait");
      assertNull(client.nextGcm(SHORT), "a receipt on a full connection");

      client.ack("device-1", "u-1");
      assertEquals("dr2:d-1", client.nextJson(WAIT).getString("message_id"));
      client.ack(DeliveryReceipt.FROM, "dr2:d-1");
      emulator.awaitAllAcked(WAIT);
    }
  }

  @Test
  void limitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> CcsEmulator.builder().maxUnackedUpstream(0));
  }
}
