package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamDeliveryTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final Duration SHORT = Duration.ofMillis(150);

  private CcsEmulator emulator;

  private void startWithRedeliveryAfter(Duration delay) {
    emulator = CcsEmulator.builder().sender(SENDER, KEY).redeliveryDelay(delay).build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static Upstream message(String device, String id) {
    return new Upstream(device, "com.example.app", id, Map.of("hello", "world"), 60);
  }

  @Test
  void injectedMessageArrivesInTheCcsShapeAndItsAckIsRecordedValid() throws Exception {
    startWithRedeliveryAfter(Duration.ofSeconds(5));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection connection = emulator.awaitConnections(SENDER, 1, WAIT).get(0);
      emulator.inject(SENDER, message("device-1", "m-1"));

      assertEquals(
          "{\"data\":{\"hello\":\"world\"},\"time_to_live\":60,\"from\":\"device-1\",\"message_id\":\"m-1\","
              + "\"category\":\"com.example.app\"}",
          client.nextGcm(WAIT));
      client.ack("device-1", "m-1");
      emulator.awaitAllAcked(WAIT);

      AckRecord ack = emulator.validAcksFor("m-1").get(0);
      assertEquals(connection.id(), ack.connectionId());
      assertEquals("device-1", ack.to());
      assertTrue(
          emulator.stanzas(connection.id()).stream()
              .anyMatch(
                  s ->
                      s.xml()
                          .startsWith(
                              "<message to=\"1234@gcm.googleapis.com\""
                                  + " from=\"devices@gcm.googleapis.com\" type=\"normal\"><gcm"
                                  + " xmlns=\"google:mobile:data\">{\"data\"")));
      assertTrue(emulator.unacked(SENDER).isEmpty());
    }
  }

  @Test
  void messageInjectedBeforeAnyConnectionWaitsForOne() throws Exception {
    startWithRedeliveryAfter(Duration.ofSeconds(5));
    emulator.inject(SENDER, message("device-1", "early"));
    assertEquals(1, emulator.unacked(SENDER).size());

    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      assertTrue(client.nextGcm(WAIT).contains("\"message_id\":\"early\""));
    }
  }

  @Test
  void unackedMessageIsRedeliveredAfterTheDelay() throws Exception {
    startWithRedeliveryAfter(Duration.ofMillis(300));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      emulator.awaitConnections(SENDER, 1, WAIT);
      emulator.inject(SENDER, message("device-1", "m-1"));

      String first = client.nextGcm(WAIT);
      long firstAt = System.nanoTime();
      String second = client.nextGcm(WAIT);
      long gapMillis = (System.nanoTime() - firstAt) / 1_000_000;

      assertEquals(first, second);
      assertTrue(gapMillis >= 250, "redelivered after " + gapMillis + " ms");
      client.ack("device-1", "m-1");
      client.ack("device-1", "m-1");
      emulator.awaitAllAcked(WAIT);
      emulator.await(() -> emulator.acks().size() == 2, WAIT, "both acks");
      assertTrue(emulator.acks().stream().allMatch(AckRecord::valid), emulator.acks().toString());
    }
  }

  @Test
  void ackOnAnotherConnectionIsInvalidAndTheMessageIsRedelivered() throws Exception {
    startWithRedeliveryAfter(Duration.ofMillis(300));
    try (SmackCcsClient first = SmackCcsClient.connect(emulator, SENDER, KEY);
        SmackCcsClient second = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      emulator.awaitConnections(SENDER, 2, WAIT);
      emulator.inject(SENDER, message("device-1", "m-1"));
      SmackCcsClient receiver = first.nextGcm(WAIT) != null ? first : second;
      SmackCcsClient other = receiver == first ? second : first;

      other.ack("device-1", "m-1");
      emulator.await(() -> !emulator.acks().isEmpty(), WAIT, "the ack");

      AckRecord wrong = emulator.acks().get(0);
      assertEquals(AckVerdict.WRONG_CONNECTION, wrong.verdict());
      assertEquals(other.serverSide(emulator).id(), wrong.connectionId());
      emulator.await(
          () ->
              emulator.stanzas().stream()
                      .filter(
                          s ->
                              s.xml().contains("\"message_id\":\"m-1\"")
                                  && s.direction() == WireStanza.Direction.OUTBOUND)
                      .count()
                  == 2,
          WAIT,
          "the redelivery");
      assertEquals(1, emulator.unacked(SENDER).size());
    }
  }

  @Test
  void ackWithTheWrongDeviceOrAnUnknownIdIsInvalid() throws Exception {
    startWithRedeliveryAfter(Duration.ofSeconds(5));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      emulator.awaitConnections(SENDER, 1, WAIT);
      emulator.inject(SENDER, message("device-1", "m-1"));
      client.nextGcm(WAIT);

      client.ack("device-2", "m-1");
      client.ack("device-1", "nope");
      client.sendGcm("{\"message_id\":\"m-1\",\"message_type\":\"ack\"}");
      client.ack("device-1", "m-1");
      client.ack("device-1", "m-1");
      emulator.await(() -> emulator.acks().size() == 5, WAIT, "five acks");

      assertEquals(
          java.util.List.of(
              AckVerdict.WRONG_TO,
              AckVerdict.UNKNOWN_MESSAGE_ID,
              AckVerdict.MISSING_FIELD,
              AckVerdict.VALID,
              AckVerdict.NOT_AWAITING_ACK),
          emulator.acks().stream().map(AckRecord::verdict).toList());
      String nack = client.nextGcm(WAIT);
      assertTrue(nack.contains("\"error\":\"BAD_ACK\""), nack);
    }
  }

  @Test
  void unackedMessagesMoveToAnotherConnectionAtOnceWhenOneDrops() throws Exception {
    startWithRedeliveryAfter(Duration.ofSeconds(30));
    try (SmackCcsClient first = SmackCcsClient.connect(emulator, SENDER, KEY);
        SmackCcsClient second = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      emulator.awaitConnections(SENDER, 2, WAIT);
      EmulatedConnection dropped = first.serverSide(emulator);
      for (int i = 1; i <= 4; i++) {
        emulator.inject(SENDER, message("device-1", "m-" + i));
      }
      for (int i = 0; i < 2; i++) {
        assertNotNull(first.nextGcm(WAIT));
        String json = second.nextGcm(WAIT);
        second.ack("device-1", json.replaceAll(".*\"message_id\":\"([^\"]+)\".*", "$1"));
      }

      dropped.dropAbruptly();
      for (int i = 0; i < 2; i++) {
        String json = second.nextGcm(WAIT);
        assertNotNull(json, "redelivery " + i);
        second.ack("device-1", json.replaceAll(".*\"message_id\":\"([^\"]+)\".*", "$1"));
      }

      emulator.awaitAllAcked(WAIT);
      assertTrue(emulator.acks().stream().allMatch(AckRecord::valid), emulator.acks().toString());
      assertTrue(
          emulator.events().stream()
              .anyMatch(
                  e ->
                      e.connectionId().equals(dropped.id())
                          && e.kind() == ConnectionEvent.Kind.CLOSED
                          && e.detail().contains("dropped abruptly")));
    }
  }

  @Test
  void redeliverFaultSendsAnAckedMessageAgainOnTheChosenConnection() throws Exception {
    startWithRedeliveryAfter(Duration.ofSeconds(5));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection connection = emulator.awaitConnections(SENDER, 1, WAIT).get(0);
      emulator.inject(SENDER, message("device-1", "m-1"));
      String original = client.nextGcm(WAIT);
      client.ack("device-1", "m-1");
      emulator.awaitAllAcked(WAIT);

      emulator.redeliver(SENDER, "m-1", connection);

      assertEquals(original, client.nextGcm(WAIT));
      assertEquals(1, emulator.unacked(SENDER).size());
      client.ack("device-1", "m-1");
      emulator.awaitAllAcked(WAIT);
      assertEquals(2, emulator.validAcksFor("m-1").size());
    }
  }

  @Test
  void gracefulCloseEndsTheStreamAndRedeliversElsewhere() throws Exception {
    startWithRedeliveryAfter(Duration.ofSeconds(30));
    try (SmackCcsClient first = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection closing = emulator.awaitConnections(SENDER, 1, WAIT).get(0);
      emulator.inject(SENDER, message("device-1", "m-1"));
      assertNotNull(first.nextGcm(WAIT));

      closing.close();
      emulator.await(() -> !first.connection().isConnected(), WAIT, "Smack to see the stream end");
      try (SmackCcsClient second = SmackCcsClient.connect(emulator, SENDER, KEY)) {
        assertTrue(second.nextGcm(WAIT).contains("\"message_id\":\"m-1\""));
        assertTrue(
            emulator.stanzas(closing.id()).stream()
                .anyMatch(
                    s ->
                        s.direction() == WireStanza.Direction.OUTBOUND
                            && s.xml().equals("</stream:stream>")));
        assertNull(first.nextGcm(SHORT));
      }
    }
  }
}
