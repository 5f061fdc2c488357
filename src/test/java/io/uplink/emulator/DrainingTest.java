package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A draining connection (ccs-protocol.md §3.9, §4.5): downstream messages are NACKed with {@code
 * CONNECTION_DRAINING} and, once the grace after the control has passed, recorded as violations;
 * acks keep flowing on it.
 */
class DrainingTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final String CONTROL =
      "{\"message_type\":\"control\",\"control_type\":\"CONNECTION_DRAINING\"}";

  private CcsEmulator emulator;

  private void start(UnaryOperator<CcsEmulator.Builder> configuration) {
    emulator =
        configuration
            .apply(
                CcsEmulator.builder()
                    .sender(SENDER, KEY)
                    .redeliveryDelay(Duration.ofSeconds(30))
                    .receiptDelay(Duration.ofMillis(10)))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private static void assertDrainingNack(JsonObject answer, String messageId) {
    assertEquals("nack", answer.getString("message_type"), answer.toString());
    assertEquals("CONNECTION_DRAINING", answer.getString("error"), answer.toString());
    assertEquals(messageId, answer.getString("message_id"), answer.toString());
  }

  @Test
  void downstreamAfterTheGraceIsNackedAndRecordedAsAViolation() throws Exception {
    start(b -> b.drainingGrace(Duration.ofMillis(100)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection connection = client.serverSide(emulator);
      connection.drain();
      assertEquals(CONTROL, client.nextGcm(WAIT));
      Thread.sleep(250);

      assertDrainingNack(
          client.answerTo("{\"to\":\"device-1\",\"message_id\":\"late-1\"}", WAIT), "late-1");

      assertEquals(1, emulator.violations().size(), emulator.violations().toString());
      ProtocolViolation violation = emulator.violations().get(0);
      assertEquals(connection.id(), violation.connectionId());
      assertTrue(violation.description().contains("late-1"), violation.description());
      assertTrue(violation.description().contains("§4.5"), violation.description());
    }
  }

  @Test
  void downstreamWithinTheGraceIsNackedButNoViolation() throws Exception {
    start(b -> b);
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      client.serverSide(emulator).drain();
      assertEquals(CONTROL, client.nextGcm(WAIT));

      assertDrainingNack(
          client.answerTo("{\"to\":\"device-1\",\"message_id\":\"crossed-1\"}", WAIT), "crossed-1");

      assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
    }
  }

  @Test
  void acksOfMessagesAndReceiptsOnADrainingConnectionStayValidAfterTheGrace() throws Exception {
    start(b -> b.drainingGrace(Duration.ofMillis(50)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection connection = client.serverSide(emulator);
      emulator.inject(SENDER, new Upstream("device-1", "com.example.app", "u-1", Map.of()));
      assertEquals("u-1", client.nextJson(WAIT).getString("message_id"));
      client.sendGcm(
          "{\"to\":\"device-1\",\"message_id\":\"d-1\",\"delivery_receipt_requested\":true}");
      assertEquals("ack", client.nextJson(WAIT).getString("message_type"));
      assertEquals("dr2:d-1", client.nextJson(WAIT).getString("message_id"));

      connection.drain();
      assertEquals(CONTROL, client.nextGcm(WAIT));
      Thread.sleep(150);
      client.ack("device-1", "u-1");
      client.ack(DeliveryReceipt.FROM, "dr2:d-1");

      emulator.awaitAllAcked(WAIT);
      assertEquals(2, emulator.acks().size());
      assertTrue(emulator.acks().stream().allMatch(AckRecord::valid), emulator.acks().toString());
      assertTrue(
          emulator.acks().stream().allMatch(a -> a.connectionId().equals(connection.id())),
          emulator.acks().toString());
      assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
    }
  }

  @Test
  void graceMustNotBeNegative() {
    assertThrows(
        IllegalArgumentException.class,
        () -> CcsEmulator.builder().drainingGrace(Duration.ofMillis(-1)));
  }
}
