package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionControlTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);

  private CcsEmulator emulator;

  @BeforeEach
  void start() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER, KEY)
            .redeliveryDelay(Duration.ofSeconds(30))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void drainSendsTheControlMessageAndNewDeliveriesGoElsewhere() throws Exception {
    try (SmackCcsClient draining = SmackCcsClient.connect(emulator, SENDER, KEY);
        SmackCcsClient fresh = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      emulator.awaitConnections(SENDER, 2, WAIT);

      draining.serverSide(emulator).drain();

      assertEquals(
          "{\"message_type\":\"control\",\"control_type\":\"CONNECTION_DRAINING\"}",
          draining.nextGcm(WAIT));
      assertTrue(
          emulator.stanzas().stream()
              .anyMatch(
                  s ->
                      s.xml()
                          .startsWith(
                              "<message><data:gcm"
                                  + " xmlns:data=\"google:mobile:data\">{\"message_type\":\"control\"")));
      for (int i = 1; i <= 3; i++) {
        emulator.inject(SENDER, new Upstream("device-1", "com.example.app", "m-" + i, Map.of()));
        assertTrue(fresh.nextGcm(WAIT).contains("\"message_id\":\"m-" + i + "\""));
      }
      assertNull(draining.nextGcm(Duration.ofMillis(100)));
      assertTrue(draining.serverSide(emulator).isDraining());
    }
  }

  @Test
  void acksForEarlierDeliveriesStillCountOnADrainingConnection() throws Exception {
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection connection = emulator.awaitConnections(SENDER, 1, WAIT).get(0);
      emulator.inject(SENDER, new Upstream("device-1", "com.example.app", "m-1", Map.of()));
      client.nextGcm(WAIT);

      connection.drain();
      client.ack("device-1", "m-1");

      emulator.awaitAllAcked(WAIT);
      assertEquals(AckVerdict.VALID, emulator.acks().get(0).verdict());
    }
  }

  @Test
  void pingIsAnswered() throws Exception {
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      assertTrue(client.ping(WAIT));
      assertTrue(
          emulator.stanzas().stream()
              .anyMatch(s -> s.xml().contains("<ping xmlns=\"urn:xmpp:ping\"/>")));
    }
  }

  @Test
  void stalledConnectionLeavesPingsUnansweredUntilResumed() throws Exception {
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection connection = emulator.awaitConnections(SENDER, 1, WAIT).get(0);

      connection.stall();
      assertFalse(client.ping(Duration.ofMillis(300)));
      connection.resume();

      assertTrue(client.ping(WAIT));
    }
  }

  @Test
  void otherIqsGetServiceUnavailable() throws Exception {
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      client.send(
          RawTlsClient.STREAM_HEADER + RawTlsClient.plainAuth("1234@gcm.googleapis.com", KEY));
      client.readUntil("<success", WAIT);
      client.send(
          RawTlsClient.STREAM_HEADER
              + "<iq type=\"set\" id=\"b\"><bind xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"/></iq>"
              + "<iq type=\"get\" id=\"r\"><query xmlns=\"jabber:iq:roster\"/></iq>");

      String text = client.readUntil("<service-unavailable", WAIT);
      assertTrue(text.contains("<jid>1234@gcm.googleapis.com/emulator"), text);
      assertTrue(
          text.contains("<iq type=\"error\" id=\"r\" to=\"1234@gcm.googleapis.com/emulator"), text);
      assertTrue(
          text.contains("<service-unavailable xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/>"),
          text);
    }
  }

  @Test
  void messageBeforeResourceBindingIsAStreamError() throws Exception {
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      client.send(
          RawTlsClient.STREAM_HEADER + RawTlsClient.plainAuth("1234@gcm.googleapis.com", KEY));
      client.readUntil("<success", WAIT);
      client.send(
          RawTlsClient.STREAM_HEADER
              + "<message><gcm"
              + " xmlns=\"google:mobile:data\">{\"to\":\"x\",\"message_id\":\"1\"}</gcm></message>");

      assertTrue(client.awaitClosedByServer(WAIT));
      assertTrue(
          client
              .text()
              .contains(
                  "<stream:error><not-authorized xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>"),
          client.text());
      assertTrue(client.text().endsWith("</stream:stream>"), client.text());
    }
  }

  @Test
  void sendRawWritesExactlyWhatItIsGiven() throws Exception {
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      client.send(RawTlsClient.STREAM_HEADER);
      client.readUntil("</stream:features>", WAIT);
      emulator.await(() -> !emulator.connections().isEmpty(), WAIT, "the connection");

      emulator
          .connections()
          .get(0)
          .sendRaw("<message><gcm xmlns='google:mobile:data'>{broken</message>");

      assertTrue(client.readUntil("{broken</message>", WAIT).endsWith("{broken</message>"));
    }
  }
}
