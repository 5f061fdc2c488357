package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pending window (ccs-protocol.md §4.1 and the decision box: 100 per connection, enforced with
 * a stream error), delayed and held answers, and unanswered messages of closed connections (§4.3).
 */
class FlowControlTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);

  private CcsEmulator emulator;

  private void start(UnaryOperator<CcsEmulator.Builder> configuration) {
    emulator = configuration.apply(CcsEmulator.builder().sender(SENDER, KEY)).build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static String messages(String prefix, int count) {
    StringBuilder xml = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      xml.append("<message id=\"\"><gcm xmlns=\"google:mobile:data\">{\"to\":\"device-1\",")
          .append("\"message_id\":\"")
          .append(prefix)
          .append(i)
          .append("\"}</gcm></message>");
    }
    return xml.toString();
  }

  private static long count(String text, String part) {
    return (text.length() - text.replace(part, "").length()) / part.length();
  }

  @Test
  void hundredPendingMessagesAreAllowedAndAnsweredOnRelease() throws Exception {
    start(b -> b);
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      client.bind(SENDER, KEY, WAIT);
      String connection = emulator.connections().get(0).id();
      emulator.holdAnswers();

      client.send(messages("m-", 100));
      emulator.await(() -> emulator.pending(connection) == 100, WAIT, "100 pending");
      assertEquals(100, emulator.maxPending(connection));
      assertTrue(
          emulator.downstream().stream()
              .allMatch(r -> r.outcome() == DownstreamRecord.Outcome.PENDING));
      emulator.releaseAnswers();

      String text = client.readUntil("\"message_id\":\"m-100\"", WAIT);
      assertEquals(100, count(text, "\"message_type\":\"ack\""));
      assertEquals(0, emulator.pending(connection));
      assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
      assertTrue(
          emulator.downstream().stream()
              .allMatch(
                  r ->
                      r.outcome() == DownstreamRecord.Outcome.ACKED
                          && !r.answeredAt().isBefore(r.receivedAt())));
    }
  }

  @Test
  void message101WhileHundredArePendingClosesTheStreamWithPolicyViolation() throws Exception {
    start(b -> b);
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      client.bind(SENDER, KEY, WAIT);
      String connection = emulator.connections().get(0).id();
      emulator.holdAnswers();

      client.send(messages("m-", 101));

      assertTrue(client.awaitClosedByServer(WAIT));
      assertTrue(
          client
              .text()
              .endsWith(
                  "<stream:error><policy-violation xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>"
                      + "</stream:error></stream:stream>"),
          client.text());
      assertEquals(1, emulator.violations().size());
      assertTrue(emulator.violations().get(0).description().contains("m-101"));
      assertEquals(101, emulator.maxPending(connection), "the message sent into a full window");
      emulator.releaseAnswers();
      assertFalse(client.text().contains("\"message_type\":\"ack\""));
      assertEquals(101, emulator.downstream().size());
      assertTrue(
          emulator.downstream().stream()
              .allMatch(r -> r.outcome() == DownstreamRecord.Outcome.UNANSWERED));
      assertEquals("pending limit exceeded", emulator.downstream().get(100).detail());
    }
  }

  @Test
  void acksFreeTheWindowSoASteadyClientNeverTripsIt() throws Exception {
    start(b -> b.maxPendingDownstream(5).downstreamAckDelay(Duration.ofMillis(30)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      String connection = client.serverSide(emulator).id();
      int answered = 0;
      for (int i = 1; i <= 20; i++) {
        if (i - answered > 5) {
          assertNotNull(client.nextGcm(WAIT));
          answered++;
        }
        client.sendGcm("{\"to\":\"device-1\",\"message_id\":\"s-" + i + "\"}");
      }
      while (answered < 20) {
        assertNotNull(client.nextGcm(WAIT));
        answered++;
      }

      assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
      int max = emulator.maxPending(connection);
      assertTrue(max >= 1 && max <= 5, "max pending " + max);
    }
  }

  @Test
  void thousandsOfMessagesOverTwoConnectionsAreAllAnsweredQuickly() throws Exception {
    start(b -> b.recordStanzas(false).downstreamAckDelay(Duration.ofMillis(1)));
    int perConnection = 1500;
    try (SmackCcsClient first = SmackCcsClient.connect(emulator, SENDER, KEY);
        SmackCcsClient second = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      long start = System.nanoTime();
      Thread other = new Thread(() -> sendWithinWindow(second, "b-", perConnection));
      other.start();
      sendWithinWindow(first, "a-", perConnection);
      other.join(10_000);
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertEquals(2 * perConnection, emulator.downstream().size());
      assertTrue(
          emulator.downstream().stream()
              .allMatch(r -> r.outcome() == DownstreamRecord.Outcome.ACKED));
      assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
      assertTrue(emulator.maxPending(first.serverSide(emulator).id()) <= 100);
      assertTrue(millis < 8_000, (2 * perConnection) + " messages took " + millis + " ms");
    }
  }

  /** Sends {@code count} messages, never more than 100 unanswered, then waits for every answer. */
  private static void sendWithinWindow(SmackCcsClient client, String prefix, int count) {
    try {
      int answered = 0;
      for (int i = 1; i <= count; i++) {
        if (i - answered > 100) {
          assertNotNull(client.nextGcm(WAIT));
          answered++;
        }
        client.sendGcm(
            "{\"to\":\"device-" + (i % 50) + "\",\"message_id\":\"" + prefix + i + "\"}");
      }
      while (answered < count) {
        assertNotNull(client.nextGcm(WAIT));
        answered++;
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void ackDelayHoldsEachAnswerBack() throws Exception {
    start(b -> b.downstreamAckDelay(Duration.ofMillis(200)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      String connection = client.serverSide(emulator).id();
      long sentAt = System.nanoTime();
      for (int i = 1; i <= 10; i++) {
        client.sendGcm("{\"to\":\"device-1\",\"message_id\":\"d-" + i + "\"}");
      }

      assertNotNull(client.nextGcm(WAIT));
      long firstAnswerMillis = (System.nanoTime() - sentAt) / 1_000_000;
      for (int i = 2; i <= 10; i++) {
        assertNotNull(client.nextGcm(WAIT));
      }

      assertTrue(firstAnswerMillis >= 190, "first answer after " + firstAnswerMillis + " ms");
      assertTrue(emulator.maxPending(connection) >= 2, "max " + emulator.maxPending(connection));
      DownstreamRecord record = emulator.downstream().get(0);
      assertTrue(
          Duration.between(record.receivedAt(), record.answeredAt()).toMillis() >= 190,
          record.toString());
    }
  }

  @Test
  void pendingMessagesOfAClosedConnectionAreNeverAnswered() throws Exception {
    start(b -> b);
    try (SmackCcsClient first = SmackCcsClient.connect(emulator, SENDER, KEY);
        SmackCcsClient second = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection dropped = first.serverSide(emulator);
      emulator.holdAnswers();
      for (int i = 1; i <= 3; i++) {
        first.sendGcm("{\"to\":\"device-1\",\"message_id\":\"p-" + i + "\"}");
      }
      emulator.await(() -> emulator.pending(dropped.id()) == 3, WAIT, "3 pending");

      dropped.close();
      emulator.await(() -> !first.connection().isConnected(), WAIT, "Smack to see the close");
      emulator.releaseAnswers();
      second.sendGcm("{\"to\":\"device-1\",\"message_id\":\"p-1\"}");

      assertEquals("p-1", second.nextJson(WAIT).getString("message_id"));
      assertNull(first.nextGcm(Duration.ofMillis(100)));
      assertEquals(
          java.util.List.of(
              DownstreamRecord.Outcome.UNANSWERED,
              DownstreamRecord.Outcome.UNANSWERED,
              DownstreamRecord.Outcome.UNANSWERED,
              DownstreamRecord.Outcome.ACKED),
          emulator.downstream().stream().map(DownstreamRecord::outcome).toList());
      assertEquals(2, emulator.downstreamCount("p-1"));
      assertEquals(Map.of("p-1", 2L), emulator.duplicateDownstream());
      assertEquals(4, emulator.downstreamFor("device-1").size());
      assertEquals(0, emulator.pending(dropped.id()));
      assertEquals(3, emulator.maxPending(dropped.id()));
    }
  }

  @Test
  void upstreamAcksDoNotCountAsPending() throws Exception {
    start(b -> b.maxPendingDownstream(1).redeliveryDelay(Duration.ofSeconds(30)));
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      emulator.awaitConnections(SENDER, 1, WAIT);
      emulator.holdAnswers();
      client.sendGcm("{\"to\":\"device-1\",\"message_id\":\"x-1\"}");
      for (int i = 1; i <= 3; i++) {
        emulator.inject(SENDER, new Upstream("device-1", "com.example.app", "u-" + i, Map.of()));
        client.nextGcm(WAIT);
        client.ack("device-1", "u-" + i);
      }

      emulator.awaitAllAcked(WAIT);
      assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
      emulator.releaseAnswers();
      assertEquals("x-1", client.nextJson(WAIT).getString("message_id"));
    }
  }
}
