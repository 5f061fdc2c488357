package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delivery receipts (ccs-protocol.md §3.8) and their acks (§3.7). */
class DeliveryReceiptTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final Duration SHORT = Duration.ofMillis(150);

  private CcsEmulator emulator;

  private void start(UnaryOperator<CcsEmulator.Builder> configuration) {
    emulator =
        configuration
            .apply(
                CcsEmulator.builder()
                    .sender(SENDER, KEY)
                    .receiptCategory("com.example.yourapp")
                    .receiptDelay(Duration.ofMillis(10)))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static String withReceipt(String id, String to) {
    return "{\"to\":\""
        + to
        + "\",\"message_id\":\""
        + id
        + "\",\"data\":{\"hello\":\"world\"},\"delivery_receipt_requested\":true}";
  }

  @Test
  void ackedMessageGetsAReceiptOnTheSameConnectionInTheDocumentedShape() throws Exception {
    start(b -> b);
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection connection = client.serverSide(emulator);
      long before = System.currentTimeMillis();
      client.sendGcm(withReceipt("m-1366082849205", "REGISTRATION_ID"));

      assertEquals("ack", client.nextJson(WAIT).getString("message_type"));
      JsonObject receipt = client.nextJson(WAIT);
      long after = System.currentTimeMillis();

      assertEquals(
          List.of("category", "data", "message_id", "message_type", "from"),
          List.copyOf(receipt.keySet()));
      assertEquals("com.example.yourapp", receipt.getString("category"));
      assertEquals("dr2:m-1366082849205", receipt.getString("message_id"));
      assertEquals("receipt", receipt.getString("message_type"));
      assertEquals("gcm.googleapis.com", receipt.getString("from"));
      JsonObject data = receipt.getJsonObject("data");
      assertEquals("MESSAGE_SENT_TO_DEVICE", data.getString("message_status"));
      assertEquals("m-1366082849205", data.getString("original_message_id"));
      assertEquals("REGISTRATION_ID", data.getString("device_registration_id"));
      long sentAt = Long.parseLong(data.getString("message_sent_timestamp"));
      assertTrue(sentAt >= before && sentAt <= after, sentAt + " not in " + before + ".." + after);
      assertTrue(
          emulator.stanzas(connection.id()).stream()
              .anyMatch(
                  s ->
                      s.direction() == WireStanza.Direction.OUTBOUND
                          && s.xml().startsWith("<message to=\"1234@gcm.googleapis.com\"")
                          && s.xml().contains(" type=\"normal\">")
                          && s.xml().contains("dr2:m-1366082849205")));

      client.ack("gcm.googleapis.com", "dr2:m-1366082849205");
      emulator.awaitAllAcked(WAIT);
      AckRecord ack = emulator.validAcksFor("dr2:m-1366082849205").get(0);
      assertEquals(connection.id(), ack.connectionId());
      assertTrue(emulator.unackedReceipts(SENDER).isEmpty());
    }
  }

  @Test
  void noReceiptWithoutRequestForDryRunNackOrTopic() throws Exception {
    start(b -> b.unregisterToken("gone"));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      client.sendGcm("{\"to\":\"device-1\",\"message_id\":\"plain\"}");
      client.sendGcm(
          "{\"to\":\"device-1\",\"message_id\":\"dry\",\"delivery_receipt_requested\":true,"
              + "\"dry_run\":true}");
      client.sendGcm(withReceipt("nacked", "gone"));
      client.sendGcm(withReceipt("topic", "/topics/news"));
      client.sendGcm(
          "{\"to\":\"device-1\",\"message_id\":\"off\",\"delivery_receipt_requested\":false}");

      for (int i = 0; i < 5; i++) {
        assertTrue(client.nextJson(WAIT).getString("message_type").matches("ack|nack"));
      }
      assertNull(client.nextGcm(SHORT));
      assertTrue(emulator.unackedReceipts(SENDER).isEmpty());
    }
  }

  @Test
  void unackedReceiptIsRedelivered() throws Exception {
    start(b -> b.redeliveryDelay(Duration.ofMillis(300)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      client.sendGcm(withReceipt("m-1", "device-1"));
      client.nextJson(WAIT);

      String first = client.nextGcm(WAIT);
      String second = client.nextGcm(WAIT);

      assertEquals(first, second);
      assertEquals(1, emulator.unackedReceipts(SENDER).size());
      assertTrue(!emulator.allAcked());
      client.ack("gcm.googleapis.com", "dr2:m-1");
      client.ack("gcm.googleapis.com", "dr2:m-1");
      emulator.awaitAllAcked(WAIT);
    }
  }

  @Test
  void ackWithoutTheDr2PrefixOrWithTheDeviceTokenIsInvalid() throws Exception {
    start(b -> b.redeliveryDelay(Duration.ofSeconds(30)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      client.sendGcm(withReceipt("m-1", "device-1"));
      client.nextJson(WAIT);
      client.nextJson(WAIT);

      client.ack("gcm.googleapis.com", "m-1");
      client.ack("device-1", "dr2:m-1");
      emulator.await(() -> emulator.acks().size() == 2, WAIT, "two acks");

      assertEquals(
          List.of(AckVerdict.UNKNOWN_MESSAGE_ID, AckVerdict.WRONG_TO),
          emulator.acks().stream().map(AckRecord::verdict).toList());
      assertEquals("m-1", emulator.unackedReceipts(SENDER).get(0).originalMessageId());
    }
  }

  @Test
  void receiptGoesToAnotherConnectionWhenTheOriginalHasClosed() throws Exception {
    start(b -> b.receiptDelay(Duration.ofMillis(300)).redeliveryDelay(Duration.ofSeconds(30)));
    try (SmackCcsClient first = SmackCcsClient.connect(emulator, SENDER, KEY);
        SmackCcsClient second = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection original = first.serverSide(emulator);
      first.sendGcm(withReceipt("m-1", "device-1"));
      assertEquals("ack", first.nextJson(WAIT).getString("message_type"));

      original.close();

      JsonObject receipt = second.nextJson(WAIT);
      assertEquals("dr2:m-1", receipt.getString("message_id"));
      second.ack("gcm.googleapis.com", "dr2:m-1");
      emulator.awaitAllAcked(WAIT);
      assertEquals(
          second.serverSide(emulator).id(), emulator.validAcksFor("dr2:m-1").get(0).connectionId());
    }
  }

  @Test
  void receiptOfAnUnackedDuplicateIsNotSentTwice() throws Exception {
    start(b -> b.redeliveryDelay(Duration.ofSeconds(30)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      client.sendGcm(withReceipt("m-1", "device-1"));
      client.nextJson(WAIT);
      client.nextJson(WAIT);
      client.sendGcm(withReceipt("m-1", "device-1"));
      client.nextJson(WAIT);

      assertNull(client.nextGcm(SHORT));
      assertEquals(1, emulator.unackedReceipts(SENDER).size());
      assertEquals(2, emulator.downstreamCount("m-1"));
    }
  }
}
