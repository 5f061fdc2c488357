package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens, canonical IDs, rates, injected faults and draining (ccs-protocol.md §3.2, §3.4, §4.5).
 */
class DownstreamRulesTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);

  private CcsEmulator emulator;
  private SmackCcsClient client;
  private int ids;

  private void start(UnaryOperator<CcsEmulator.Builder> configuration) throws Exception {
    emulator = configuration.apply(CcsEmulator.builder().sender(SENDER, KEY)).build().start();
    client = SmackCcsClient.connect(emulator, SENDER, KEY);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    emulator.close();
  }

  private JsonObject sendTo(String to) throws Exception {
    return sendJson("\"to\":\"" + to + "\"");
  }

  private JsonObject sendJson(String fields) throws Exception {
    String id = "r-" + ++ids;
    JsonObject answer = client.answerTo("{\"message_id\":\"" + id + "\"," + fields + "}", WAIT);
    assertEquals(id, answer.getString("message_id"), answer.toString());
    return answer;
  }

  private static String error(JsonObject answer) {
    return answer.getString("message_type").equals("ack") ? "ACK" : answer.getString("error");
  }

  @Test
  void unregisteredTokenGetsDeviceUnregistered() throws Exception {
    start(b -> b.unregisterToken("gone-1"));

    JsonObject nack = sendTo("gone-1");

    assertEquals("DEVICE_UNREGISTERED", nack.getString("error"));
    assertEquals("gone-1", nack.getString("from"));
    assertEquals("ACK", error(sendTo("alive-1")));
  }

  @Test
  void invalidOrMalformedTokenGetsBadRegistration() throws Exception {
    start(b -> b.invalidToken("SomeInvalidRegistrationId"));

    JsonObject nack = sendTo("SomeInvalidRegistrationId");

    assertEquals("BAD_REGISTRATION", nack.getString("error"));
    assertEquals(
        "Invalid token on 'to' field: SomeInvalidRegistrationId",
        nack.getString("error_description"));
    assertEquals("BAD_REGISTRATION", error(sendTo("has space")));
    assertEquals("BAD_REGISTRATION", error(sendTo("slash/in/token")));
    assertEquals("ACK", error(sendTo("dGVzdA:APA91b-x_y.z")));
  }

  @Test
  void onceTokensAreRegisteredUnknownOnesAreBad() throws Exception {
    start(b -> b.registerToken("known-1", "known-2").canonicalToken("old-1", "known-1"));

    assertEquals("ACK", error(sendTo("known-2")));
    assertEquals("ACK", error(sendTo("old-1")));
    assertEquals("BAD_REGISTRATION", error(sendTo("stranger")));
    assertEquals("ACK", error(sendTo("/topics/news")));
  }

  @Test
  void tokenCanBeUnregisteredAndRegisteredWhileRunning() throws Exception {
    start(b -> b);

    emulator.unregisterToken("device-1");
    assertEquals("DEVICE_UNREGISTERED", error(sendTo("device-1")));
    emulator.registerToken("device-1");
    assertEquals("ACK", error(sendTo("device-1")));
  }

  @Test
  void ackOfAnOldTokenCarriesTheCanonicalRegistrationId() throws Exception {
    start(b -> b.canonicalToken("old-token", "new-token"));

    client.sendGcm("{\"to\":\"old-token\",\"message_id\":\"c-1\"}");

    assertEquals(
        "{\"from\":\"old-token\",\"message_id\":\"c-1\",\"message_type\":\"ack\","
            + "\"registration_id\":\"new-token\"}",
        client.nextGcm(WAIT));
    assertFalse(sendTo("new-token").containsKey("registration_id"));
  }

  @Test
  void malformedTopicNameGetsBadRegistration() throws Exception {
    start(b -> b);

    assertEquals("BAD_REGISTRATION", error(sendTo("/topics/bad topic")));
    assertEquals("BAD_REGISTRATION", error(sendTo("/topics/")));
    assertEquals("ACK", error(sendTo("/topics/a-b_c.d~e%20")));
  }

  @Test
  void tooManyMessagesToOneDeviceGetDeviceMessageRateExceeded() throws Exception {
    start(b -> b.deviceMessageRateLimit(3, Duration.ofMillis(400)));

    List<String> answers =
        List.of(
            error(sendTo("device-1")),
            error(sendTo("device-1")),
            error(sendTo("device-1")),
            error(sendTo("device-1")),
            error(sendTo("device-2")));

    assertEquals(List.of("ACK", "ACK", "ACK", "DEVICE_MESSAGE_RATE_EXCEEDED", "ACK"), answers);
    Thread.sleep(450);
    assertEquals("ACK", error(sendTo("device-1")));
  }

  @Test
  void tooManyMessagesToOneTopicGetTopicsMessageRateExceeded() throws Exception {
    start(b -> b.topicMessageRateLimit(2, Duration.ofSeconds(5)));

    assertEquals("ACK", error(sendTo("/topics/news")));
    assertEquals("ACK", error(sendJson("\"condition\":\"'news' in topics || 'sport' in topics\"")));
    JsonObject nack = sendTo("/topics/news");
    assertEquals("TOPICS_MESSAGE_RATE_EXCEEDED", nack.getString("error"));
    assertTrue(nack.getString("error_description").contains("news"));
    assertEquals(
        "TOPICS_MESSAGE_RATE_EXCEEDED",
        error(sendJson("\"condition\":\"'sport' in topics && 'news' in topics\"")));
    assertEquals("ACK", error(sendTo("/topics/sport")));
  }

  @Test
  void failNextNacksTheNextMessagesToATokenThenRecovers() throws Exception {
    start(b -> b);
    emulator.failNext("device-1", "SERVICE_UNAVAILABLE", 2);

    assertEquals("ACK", error(sendTo("device-2")));
    assertEquals("SERVICE_UNAVAILABLE", error(sendTo("device-1")));
    assertEquals("SERVICE_UNAVAILABLE", error(sendTo("device-1")));
    assertEquals("ACK", error(sendTo("device-1")));
  }

  @Test
  void failNextOfASenderHitsAnyTargetAndAnyCode() throws Exception {
    start(b -> b);
    emulator.failNext(SENDER, "INTERNAL_SERVER_ERROR");
    emulator.failNext(SENDER, "SOMETHING_NEW");

    assertEquals("INTERNAL_SERVER_ERROR", error(sendTo("device-1")));
    assertEquals("SOMETHING_NEW", error(sendTo("/topics/x")));
    assertEquals("ACK", error(sendTo("device-1")));
  }

  @Test
  void invalidMessageDoesNotUseUpAFault() throws Exception {
    start(b -> b);
    emulator.failNext(SENDER, "SERVICE_UNAVAILABLE");

    assertEquals("INVALID_JSON", error(sendJson("\"to\":\"device-1\",\"dry_run\":1")));
    assertEquals("SERVICE_UNAVAILABLE", error(sendTo("device-1")));
  }

  @Test
  void policyRunsAfterTheBuiltInRules() throws Exception {
    start(
        b ->
            b.unregisterToken("gone")
                .downstreamPolicy(m -> DownstreamReply.nack("QUOTA_EXCEEDED", "from the policy")));

    assertEquals("DEVICE_UNREGISTERED", error(sendTo("gone")));
    assertEquals("QUOTA_EXCEEDED", error(sendTo("device-1")));
  }

  @Test
  void messageOnADrainingConnectionGetsConnectionDraining() throws Exception {
    start(b -> b);
    EmulatedConnection connection = client.serverSide(emulator);
    emulator.holdAnswers();
    client.sendGcm("{\"to\":\"device-1\",\"message_id\":\"before-drain\"}");
    emulator.await(() -> emulator.pending(connection.id()) == 1, WAIT, "the pending message");

    connection.drain();
    assertEquals("control", client.nextJson(WAIT).getString("message_type"));
    client.sendGcm("{\"to\":\"device-1\",\"message_id\":\"after-drain\"}");
    emulator.await(() -> emulator.pending(connection.id()) == 2, WAIT, "both pending");
    emulator.releaseAnswers();

    Map<String, JsonObject> answers = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      JsonObject answer = client.nextJson(WAIT);
      answers.put(answer.getString("message_id"), answer);
    }
    assertEquals("ack", answers.get("before-drain").getString("message_type"));
    assertEquals("CONNECTION_DRAINING", answers.get("after-drain").getString("error"));
  }

  @Test
  void builderRefusesContradictoryTokens() {
    CcsEmulator.Builder builder =
        CcsEmulator.builder().sender(SENDER, KEY).registerToken("t").unregisterToken("t");

    assertThrows(IllegalStateException.class, builder::build);
    assertThrows(
        IllegalArgumentException.class,
        () -> CcsEmulator.builder().deviceMessageRateLimit(0, Duration.ofSeconds(1)));
    emulator = CcsEmulator.builder().sender(SENDER, KEY).build();
    assertThrows(IllegalArgumentException.class, () -> emulator.failNext(SENDER, "X", 0));
  }
}
