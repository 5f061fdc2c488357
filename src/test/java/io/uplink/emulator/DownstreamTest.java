package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DownstreamTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);

  private CcsEmulator emulator;

  @BeforeEach
  void start() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER, KEY)
            .downstreamPolicy(
                message ->
                    message.target().equals("bad-token")
                        ? DownstreamReply.nack(
                            "BAD_REGISTRATION", "Invalid token on 'to' field: bad-token")
                        : DownstreamReply.ack())
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void wellFormedDownstreamMessageIsAcked() throws Exception {
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      client.sendGcm("{\"to\":\"token-1\",\"message_id\":\"d-1\",\"data\":{\"k\":\"v\"}}");

      assertEquals(
          "{\"from\":\"token-1\",\"message_id\":\"d-1\",\"message_type\":\"ack\"}",
          client.nextGcm(WAIT));
      DownstreamRecord record = emulator.downstream().get(0);
      assertEquals(DownstreamRecord.Outcome.ACKED, record.outcome());
      assertEquals("d-1", record.messageId());
      assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
    }
  }

  @Test
  void policyCanNack() throws Exception {
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      client.sendGcm("{\"to\":\"bad-token\",\"message_id\":\"d-2\"}");

      assertEquals(
          "{\"message_type\":\"nack\",\"message_id\":\"d-2\",\"from\":\"bad-token\",\"error\":\"BAD_REGISTRATION\",\"error_description\":\"Invalid"
              + " token on 'to' field: bad-token\"}",
          client.nextGcm(WAIT));
    }
  }

  @Test
  void missingMessageIdOrBrokenJsonGetAStanzaErrorEchoingTheStanzaId() throws Exception {
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      client.send(
          RawTlsClient.STREAM_HEADER + RawTlsClient.plainAuth("1234@gcm.googleapis.com", KEY));
      client.readUntil("<success", WAIT);
      client.send(
          RawTlsClient.STREAM_HEADER
              + "<iq type=\"set\" id=\"b\"><bind"
              + " xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"/></iq><message id=\"3\"><gcm"
              + " xmlns=\"google:mobile:data\">{\"random\": \"text\"}</gcm></message><message"
              + " id=\"4\"><gcm xmlns=\"google:mobile:data\">{\"to\":\"x\",\"message_id\":\"m\""
              + " \"data\":{}}</gcm></message>");

      String text = client.readUntil("<message id=\"4\" type=\"error\"", WAIT);
      assertTrue(
          text.contains("<message id=\"3\" type=\"error\" to=\"1234@gcm.googleapis.com/emulator"),
          text);
      assertTrue(
          text.contains(
              "<gcm xmlns=\"google:mobile:data\">{\"random\": \"text\"}</gcm><error code=\"400\""
                  + " type=\"modify\"><bad-request"
                  + " xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/><text"
                  + " xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\">InvalidJson: JSON_PARSING_ERROR"
                  + " : Missing Required Field: message_id</text>"),
          text);
      client.readUntil("</message>", WAIT);
      emulator.await(() -> emulator.downstream().size() == 2, WAIT, "two downstream records");
      assertEquals(
          List.of(DownstreamRecord.Outcome.STANZA_ERROR, DownstreamRecord.Outcome.STANZA_ERROR),
          emulator.downstream().stream().map(DownstreamRecord::outcome).toList());
      assertTrue(
          emulator.downstream().get(1).detail().startsWith("InvalidJson: JSON_PARSING_ERROR : "));
    }
  }

  @Test
  void duplicateJsonKeysAreRejected() throws Exception {
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      client.sendGcm("{\"to\":\"a\",\"to\":\"b\",\"message_id\":\"d-3\"}");

      emulator.await(() -> !emulator.downstream().isEmpty(), WAIT, "the downstream record");
      assertEquals(DownstreamRecord.Outcome.STANZA_ERROR, emulator.downstream().get(0).outcome());
    }
  }

  @Test
  void nackFromTheAppServerIsAViolation() throws Exception {
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      client.sendGcm("{\"to\":\"a\",\"message_id\":\"m\",\"message_type\":\"nack\"}");

      emulator.await(() -> !emulator.violations().isEmpty(), WAIT, "the violation");
      assertTrue(emulator.violations().get(0).description().contains("NACK"));
    }
  }
}
