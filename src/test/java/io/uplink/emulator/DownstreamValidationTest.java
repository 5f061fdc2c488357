package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The INVALID_JSON rules of ccs-protocol.md §3.1, §3.3, §3.4 and §4.4, over one Smack client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DownstreamValidationTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);

  private final AtomicInteger ids = new AtomicInteger();
  private CcsEmulator emulator;
  private SmackCcsClient client;

  @BeforeAll
  void start() throws Exception {
    emulator = CcsEmulator.builder().sender(SENDER, KEY).build().start();
    client = SmackCcsClient.connect(emulator, SENDER, KEY);
  }

  @AfterAll
  void stop() {
    client.close();
    emulator.close();
  }

  /** Sends {@code fields} plus a fresh {@code message_id} and returns the answer. */
  private JsonObject answer(String fields) throws Exception {
    String id = "v-" + ids.incrementAndGet();
    JsonObject answer =
        client.answerTo(
            "{\"message_id\":\"" + id + "\"" + (fields.isEmpty() ? "" : ",") + fields + "}", WAIT);
    assertEquals(id, answer.getString("message_id"), answer.toString());
    return answer;
  }

  private void assertInvalidJson(String fields, String descriptionStart) throws Exception {
    JsonObject nack = answer(fields);
    assertEquals("nack", nack.getString("message_type"), nack.toString());
    assertEquals("INVALID_JSON", nack.getString("error"), nack.toString());
    assertTrue(nack.getString("error_description").startsWith(descriptionStart), nack.toString());
  }

  private void assertAcked(String fields) throws Exception {
    JsonObject ack = answer(fields);
    assertEquals("ack", ack.getString("message_type"), ack.toString());
  }

  private static String data(int bytes) {
    return "\"data\":{\"k\":\"" + "x".repeat(bytes - 1) + "\"}";
  }

  @Test
  void nackHasTheDocumentedShapeAndNoStanzaType() throws Exception {
    client.sendGcm(
        "{\"to\":\"APA91bHFOtaQGSwupt5l1og\",\"message_id\":\"msgId1\",\"time_to_live\":\"abc\"}");

    assertEquals(
        "{\"message_type\":\"nack\",\"message_id\":\"msgId1\",\"from\":\"APA91bHFOtaQGSwupt5l1og\","
            + "\"error\":\"INVALID_JSON\",\"error_description\":\"InvalidJson: JSON_TYPE_ERROR :"
            + " Field \\\"time_to_live\\\" must be a JSON java.lang.Number: abc\"}",
        client.nextGcm(WAIT));
    assertTrue(
        emulator.stanzas().stream()
            .anyMatch(
                s ->
                    s.direction() == WireStanza.Direction.OUTBOUND
                        && s.xml().startsWith("<message><gcm xmlns=\"google:mobile:data\">")
                        && s.xml().contains("msgId1")));
    DownstreamRecord record = emulator.downstreamFor("APA91bHFOtaQGSwupt5l1og").get(0);
    assertEquals(DownstreamRecord.Outcome.NACKED, record.outcome());
    assertEquals("INVALID_JSON", record.detail());
    assertTrue(record.description().startsWith("InvalidJson: JSON_TYPE_ERROR"));
  }

  @Test
  void missingTargetIsInvalidJsonWithoutFrom() throws Exception {
    JsonObject nack = answer("\"data\":{\"k\":\"v\"}");

    assertEquals("INVALID_JSON", nack.getString("error"));
    assertTrue(nack.getString("error_description").contains("Missing registration ID"));
    assertTrue(!nack.containsKey("from"), nack.toString());
  }

  @Test
  void emptyToIsAMissingTarget() throws Exception {
    assertInvalidJson("\"to\":\"\"", "InvalidJson: MISSING_REGISTRATION");
  }

  @Test
  void toAndConditionTogetherAreInvalid() throws Exception {
    assertInvalidJson(
        "\"to\":\"token-1\",\"condition\":\"'a' in topics\"", "InvalidJson: Must not set both");
  }

  @Test
  void conditionWithoutTopicsOrWithTooManyOperatorsIsInvalid() throws Exception {
    assertInvalidJson("\"condition\":\"nonsense\"", "InvalidJson: INVALID_CONDITION");
    assertInvalidJson(
        "\"condition\":\"'a' in topics && 'b' in topics && 'c' in topics || 'd' in topics\"",
        "InvalidJson: INVALID_CONDITION");
    assertAcked("\"condition\":\"'a' in topics && ('b' in topics || 'c' in topics)\"");
  }

  @Test
  void timeToLiveOutsideTheRangeIsInvalidTtl() throws Exception {
    JsonObject nack = answer("\"to\":\"token-1\",\"time_to_live\":-1");

    assertEquals(
        "InvalidJson: INVALID_TTL : Invalid value (-1) for \"time_to_live\": must be between 0 and"
            + " \"2419200\"",
        nack.getString("error_description"));
    assertInvalidJson("\"to\":\"token-1\",\"time_to_live\":2419201", "InvalidJson: INVALID_TTL");
    assertInvalidJson("\"to\":\"token-1\",\"time_to_live\":1.5", "InvalidJson: INVALID_TTL");
    assertAcked("\"to\":\"token-1\",\"time_to_live\":0");
    assertAcked("\"to\":\"token-1\",\"time_to_live\":2419200");
  }

  @Test
  void timeToLiveAsAStringIsAJsonTypeError() throws Exception {
    assertInvalidJson(
        "\"to\":\"token-1\",\"time_to_live\":\"600\"",
        "InvalidJson: JSON_TYPE_ERROR : Field \"time_to_live\" must be a JSON java.lang.Number: 600");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "delivery_receipt_requested",
        "dry_run",
        "content_available",
        "mutable_content",
        "delay_while_idle"
      })
  void booleanFieldOfAnotherTypeIsAJsonTypeError(String field) throws Exception {
    assertInvalidJson(
        "\"to\":\"token-1\",\"" + field + "\":\"not-boolean-user-supplied-value\"",
        "InvalidJson: JSON_TYPE_ERROR : Field \""
            + field
            + "\" must be a JSON java.lang.Boolean: not-boolean-user-supplied-value");
    assertInvalidJson(
        "\"to\":\"token-1\",\"" + field + "\":1", "InvalidJson: JSON_TYPE_ERROR : Field");
    assertAcked("\"to\":\"token-1\",\"" + field + "\":false");
  }

  @Test
  void otherFieldsOfTheWrongTypeAreInvalid() throws Exception {
    assertInvalidJson("\"to\":\"token-1\",\"data\":\"text\"", "InvalidJson: JSON_TYPE_ERROR");
    assertInvalidJson("\"to\":\"token-1\",\"notification\":[]", "InvalidJson: JSON_TYPE_ERROR");
    assertInvalidJson("\"to\":\"token-1\",\"collapse_key\":3", "InvalidJson: JSON_TYPE_ERROR");
    assertInvalidJson("\"to\":5", "InvalidJson: JSON_TYPE_ERROR : Field \"to\"");
    assertInvalidJson(
        "\"to\":\"token-1\",\"priority\":\"urgent\"", "InvalidJson: INVALID_PRIORITY");
    assertAcked("\"to\":\"token-1\",\"priority\":\"high\",\"collapse_key\":\"c\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"from", "google", "google.sent_time", "gcm", "gcm.notification.x"})
  void reservedDataKeyIsInvalid(String key) throws Exception {
    assertInvalidJson(
        "\"to\":\"token-1\",\"data\":{\"" + key + "\":\"v\"}",
        "InvalidJson: InvalidDataKey : Data key \"" + key + "\"");
  }

  @Test
  void dataKeysThatOnlyResembleReservedOnesAreFine() throws Exception {
    assertAcked("\"to\":\"token-1\",\"data\":{\"fromage\":\"v\",\"my_google\":\"v\"}");
  }

  @Test
  void payloadOver4096BytesIsTooBig() throws Exception {
    assertAcked("\"to\":\"token-1\"," + data(4096));
    assertInvalidJson("\"to\":\"token-1\"," + data(4097), "InvalidJson: MessageTooBig");
  }

  @Test
  void notificationCountsTowardsThePayload() throws Exception {
    assertInvalidJson(
        "\"to\":\"token-1\","
            + data(4000)
            + ",\"notification\":{\"title\":\""
            + "t".repeat(100)
            + "\"}",
        "InvalidJson: MessageTooBig : Payload of 4105 bytes");
  }

  @Test
  void multiByteCharactersCountAsTheirUtf8Bytes() throws Exception {
    assertInvalidJson(
        "\"to\":\"token-1\",\"data\":{\"k\":\"" + "é".repeat(2048) + "\"}",
        "InvalidJson: MessageTooBig : Payload of 4097 bytes");
  }

  @Test
  void topicAndConditionMessagesAreLimitedTo2048Bytes() throws Exception {
    assertAcked("\"to\":\"/topics/news\"," + data(2048));
    assertInvalidJson("\"to\":\"/topics/news\"," + data(2049), "InvalidJson: MessageTooBig");
    assertInvalidJson(
        "\"condition\":\"'news' in topics\"," + data(2049), "InvalidJson: MessageTooBig");
  }

  @Test
  void invalidMessagesAreNotAViolationOfTheProtocol() throws Exception {
    assertInvalidJson("\"to\":\"token-1\",\"dry_run\":\"yes\"", "InvalidJson: JSON_TYPE_ERROR");
    assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
  }
}
