package io.uplink.ccs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CcsCodecTest {

  private final CcsCodec codec = new CcsCodec(new UpstreamLimits(16_384, Set.of()));

  @AfterEach
  void close() throws Exception {
    codec.close();
  }

  @Test
  void upstreamMessageOfTheSpecSketchIsDecoded() {
    // ccs-protocol.md §5, upstream line.
    Inbound inbound =
        codec.decode(
            "{\"data\":{\"hello\":\"world\"},\"time_to_live\":86400,\"from\":\"TOKEN\","
                + "\"message_id\":\"up-7\",\"category\":\"com.example\"}");

    Inbound.Upstream upstream = assertInstanceOf(Inbound.Upstream.class, inbound);
    assertEquals("TOKEN", upstream.from());
    assertEquals("com.example", upstream.category());
    assertEquals("up-7", upstream.messageId());
    assertEquals(Map.of("hello", "world"), upstream.data());
    assertEquals(Optional.of(86400L), upstream.timeToLive());
  }

  @Test
  void upstreamMessageWithoutDataOrTtlIsValid() {
    Inbound.Upstream upstream =
        assertInstanceOf(
            Inbound.Upstream.class,
            codec.decode("{\"from\":\"T\",\"message_id\":\"1\",\"category\":\"c\"}"));
    assertEquals(Map.of(), upstream.data());
    assertEquals(Optional.empty(), upstream.timeToLive());
  }

  @Test
  void ackIsWrittenAsTheSpecShowsIt() {
    assertEquals(
        "{\"to\":\"REGID\",\"message_id\":\"m-123\",\"message_type\":\"ack\"}",
        codec.ack(new AckKey("REGID", "m-123")));
  }

  @Test
  void ackEscapesQuotesInIds() {
    assertEquals(
        "{\"to\":\"a\\\"b\",\"message_id\":\"x\\\\y\",\"message_type\":\"ack\"}",
        codec.ack(new AckKey("a\"b", "x\\y")));
  }

  @Test
  void malformedJsonIsRejectedWithoutAnId() {
    Inbound.Rejected rejected =
        assertInstanceOf(Inbound.Rejected.class, codec.decode("{\"from\":\"T\",\"message_id\":"));
    assertEquals(RejectReason.MALFORMED_JSON, rejected.reason());
    assertEquals(Optional.empty(), rejected.ackKey());
  }

  @Test
  void docsStyleJsonWithCommentsAndMissingCommasIsRejected() {
    // The docs' verbatim samples are not JSON (ccs-protocol.md conventions).
    Inbound inbound =
        codec.decode(
            "{ \"category\":\"com.example.yourapp\", // to know which app sent it\n"
                + " \"data\": { \"hello\":\"world\", }, \"message_id\":\"m-123\", \"from\":\"REGID\" }");
    assertEquals(
        RejectReason.MALFORMED_JSON, assertInstanceOf(Inbound.Rejected.class, inbound).reason());
  }

  @Test
  void jsonThatIsNotAnObjectIsRejected() {
    assertEquals(
        RejectReason.MALFORMED_JSON,
        assertInstanceOf(Inbound.Rejected.class, codec.decode("[1,2]")).reason());
    assertEquals(
        RejectReason.MALFORMED_JSON,
        assertInstanceOf(Inbound.Rejected.class, codec.decode("")).reason());
  }

  @Test
  void numericMessageIdIsAWrongTypeNotText() {
    Inbound.Rejected rejected =
        assertInstanceOf(
            Inbound.Rejected.class,
            codec.decode("{\"from\":\"T\",\"message_id\":42,\"category\":\"c\"}"));
    assertEquals(RejectReason.WRONG_TYPE, rejected.reason());
    assertEquals(Optional.empty(), rejected.ackKey());
  }

  @Test
  void numericDataValueIsRejectedButAckedByItsId() {
    Inbound.Rejected rejected =
        assertInstanceOf(
            Inbound.Rejected.class,
            codec.decode(
                "{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"c\",\"data\":{\"n\":1}}"));
    assertEquals(RejectReason.WRONG_TYPE, rejected.reason());
    assertEquals(Optional.of(new AckKey("T", "7")), rejected.ackKey());
  }

  @Test
  void ttlAsStringIsAWrongType() {
    Inbound.Rejected rejected =
        assertInstanceOf(
            Inbound.Rejected.class,
            codec.decode(
                "{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"c\",\"time_to_live\":\"600\"}"));
    assertEquals(RejectReason.WRONG_TYPE, rejected.reason());
  }

  @Test
  void dataThatIsNotAnObjectIsAWrongType() {
    assertEquals(
        RejectReason.WRONG_TYPE,
        assertInstanceOf(
                Inbound.Rejected.class,
                codec.decode(
                    "{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"c\",\"data\":\"x\"}"))
            .reason());
  }

  @Test
  void missingFromCannotBeAcked() {
    Inbound.Rejected rejected =
        assertInstanceOf(
            Inbound.Rejected.class, codec.decode("{\"message_id\":\"7\",\"category\":\"c\"}"));
    assertEquals(RejectReason.MISSING_FIELD, rejected.reason());
    assertEquals(Optional.empty(), rejected.ackKey());
  }

  @Test
  void missingCategoryIsRejectedAndAcked() {
    Inbound.Rejected rejected =
        assertInstanceOf(
            Inbound.Rejected.class, codec.decode("{\"from\":\"T\",\"message_id\":\"7\"}"));
    assertEquals(RejectReason.MISSING_FIELD, rejected.reason());
    assertEquals(Optional.of(new AckKey("T", "7")), rejected.ackKey());
  }

  @Test
  void nullAndBlankFieldsCountAsMissing() {
    assertEquals(
        RejectReason.MISSING_FIELD,
        assertInstanceOf(
                Inbound.Rejected.class,
                codec.decode("{\"from\":null,\"message_id\":\"7\",\"category\":\"c\"}"))
            .reason());
    assertEquals(
        RejectReason.MISSING_FIELD,
        assertInstanceOf(
                Inbound.Rejected.class,
                codec.decode("{\"from\":\"T\",\"message_id\":\" \",\"category\":\"c\"}"))
            .reason());
  }

  @Test
  void dataOverFourKilobytesIsRejectedAndAcked() {
    String big = "x".repeat(UpstreamLimits.MAX_DATA_BYTES);
    Inbound.Rejected rejected =
        assertInstanceOf(
            Inbound.Rejected.class,
            codec.decode(
                "{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"c\",\"data\":{\"k\":\""
                    + big
                    + "\"}}"));
    assertEquals(RejectReason.OVERSIZED_DATA, rejected.reason());
    assertEquals(Optional.of(new AckKey("T", "7")), rejected.ackKey());
  }

  @Test
  void dataOfExactlyFourKilobytesIsAccepted() {
    String value = "x".repeat(UpstreamLimits.MAX_DATA_BYTES - 1);
    assertInstanceOf(
        Inbound.Upstream.class,
        codec.decode(
            "{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"c\",\"data\":{\"k\":\""
                + value
                + "\"}}"));
  }

  @Test
  void dataSizeCountsUtf8Bytes() {
    String value = "é".repeat(UpstreamLimits.MAX_DATA_BYTES / 2);
    assertEquals(
        RejectReason.OVERSIZED_DATA,
        assertInstanceOf(
                Inbound.Rejected.class,
                codec.decode(
                    "{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"c\",\"data\":{\"k\":\""
                        + value
                        + "\"}}"))
            .reason());
  }

  @Test
  void stanzaOverTheHardLimitIsRejectedAndAcked() {
    CcsCodec strict = new CcsCodec(new UpstreamLimits(5000, Set.of()));
    String padding = "p".repeat(5000);
    Inbound.Rejected rejected =
        assertInstanceOf(
            Inbound.Rejected.class,
            strict.decode(
                "{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"c\",\"pad\":\""
                    + padding
                    + "\"}"));
    assertEquals(RejectReason.OVERSIZED_STANZA, rejected.reason());
    assertEquals(Optional.of(new AckKey("T", "7")), rejected.ackKey());
  }

  /**
   * Two ids that differ only in an unpaired surrogate would be the same id once encoded as UTF-8
   * (each surrogate becomes '?'): such ids are refused, unacked, before they reach the database.
   */
  @Test
  void idsHoldingALoneSurrogateAreRejectedUnacked() {
    for (String json :
        List.of(
            "{\"from\":\"T\",\"message_id\":\"m\\ud800\",\"category\":\"c\"}",
            "{\"from\":\"T\\udfff\",\"message_id\":\"m\",\"category\":\"c\"}",
            "{\"from\":\"gcm.googleapis.com\",\"message_id\":\"dr2:\\udbff\","
                + "\"message_type\":\"receipt\",\"data\":{}}")) {
      Inbound.Rejected rejected = assertInstanceOf(Inbound.Rejected.class, codec.decode(json));
      assertEquals(RejectReason.INVALID_TEXT, rejected.reason(), json);
      assertEquals(Optional.empty(), rejected.ackKey(), json);
    }
    assertInstanceOf(
        Inbound.Upstream.class,
        codec.decode("{\"from\":\"T\",\"message_id\":\"m\\ud83d\\ude00\",\"category\":\"c\"}"),
        "a surrogate pair is text");
  }

  @Test
  void overlongMessageIdIsRejected() {
    String id = "i".repeat(UpstreamLimits.MAX_MESSAGE_ID_LENGTH + 1);
    assertEquals(
        RejectReason.FIELD_TOO_LONG,
        assertInstanceOf(
                Inbound.Rejected.class,
                codec.decode("{\"from\":\"T\",\"message_id\":\"" + id + "\",\"category\":\"c\"}"))
            .reason());
  }

  @Test
  void categoryOutsideTheAllowListIsRejectedAndAcked() {
    CcsCodec verifying = new CcsCodec(new UpstreamLimits(16_384, Set.of("com.example.app")));
    Inbound.Rejected rejected =
        assertInstanceOf(
            Inbound.Rejected.class,
            verifying.decode("{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"com.evil\"}"));
    assertEquals(RejectReason.UNKNOWN_CATEGORY, rejected.reason());
    assertEquals(Optional.of(new AckKey("T", "7")), rejected.ackKey());
    assertInstanceOf(
        Inbound.Upstream.class,
        verifying.decode("{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"com.example.app\"}"));
  }

  @Test
  void unknownTopLevelFieldIsIgnoredOnPurpose() {
    assertInstanceOf(
        Inbound.Upstream.class,
        codec.decode(
            "{\"from\":\"T\",\"message_id\":\"7\",\"category\":\"c\",\"new_field\":{\"a\":[1]}}"));
  }

  @Test
  void connectionDrainingControlIsRecognised() {
    // ccs-protocol.md §3.9, as valid JSON.
    Inbound.Control control =
        assertInstanceOf(
            Inbound.Control.class,
            codec.decode(
                "{\"message_type\":\"control\",\"control_type\":\"CONNECTION_DRAINING\"}"));
    assertTrue(control.isConnectionDraining());
  }

  @Test
  void receiptKeepsItsDr2Id() {
    // ccs-protocol.md §5, receipt line.
    Inbound.Receipt receipt =
        assertInstanceOf(
            Inbound.Receipt.class,
            codec.decode(
                "{\"category\":\"com.example\",\"data\":{\"message_status\":\"MESSAGE_SENT_TO_DEVICE\","
                    + "\"original_message_id\":\"m-1\",\"device_registration_id\":\"TOKEN\"},"
                    + "\"message_id\":\"dr2:m-1\",\"message_type\":\"receipt\",\"from\":\"gcm.googleapis.com\"}"));
    assertEquals("dr2:m-1", receipt.messageId());
    assertEquals("gcm.googleapis.com", receipt.from());
    assertEquals("m-1", receipt.data().get("original_message_id"));
  }

  @Test
  void ackOfADownstreamMessageCarriesTheCanonicalToken() {
    // ccs-protocol.md §3.2, with the FCM registration_id.
    Inbound.Ack ack =
        assertInstanceOf(
            Inbound.Ack.class,
            codec.decode(
                "{\"from\":\"REGID\",\"message_id\":\"m-1366082849205\",\"message_type\":\"ack\","
                    + "\"registration_id\":\"NEWID\"}"));
    assertEquals("m-1366082849205", ack.messageId());
    assertEquals(Optional.of("NEWID"), ack.canonicalRegistrationId());
  }

  @Test
  void nackCarriesItsErrorAndAMissingCodeCountsAsInternalError() {
    // ccs-protocol.md §3.3, first example, as valid JSON.
    Inbound.Nack nack =
        assertInstanceOf(
            Inbound.Nack.class,
            codec.decode(
                "{\"message_type\":\"nack\",\"message_id\":\"msgId1\",\"from\":\"SomeInvalidRegistrationId\","
                    + "\"error\":\"BAD_REGISTRATION\",\"error_description\":\"Invalid token\"}"));
    assertEquals("BAD_REGISTRATION", nack.error());
    assertEquals(Optional.of("Invalid token"), nack.errorDescription());
    assertEquals(
        "INTERNAL_SERVER_ERROR",
        assertInstanceOf(
                Inbound.Nack.class,
                codec.decode("{\"message_type\":\"nack\",\"message_id\":\"m\",\"from\":\"x\"}"))
            .error());
  }

  @Test
  void unknownTypesAreUnhandled() {
    assertEquals(
        "shiny",
        assertInstanceOf(Inbound.Unhandled.class, codec.decode("{\"message_type\":\"shiny\"}"))
            .messageType());
  }

  @Test
  void wrongTypeOnANonUpstreamMessageIsNotAcked() {
    Inbound.Rejected rejected =
        assertInstanceOf(
            Inbound.Rejected.class,
            codec.decode(
                "{\"message_type\":\"receipt\",\"from\":\"x\",\"message_id\":\"dr2:1\",\"data\":[]}"));
    assertEquals(Optional.empty(), rejected.ackKey());
  }

  @Test
  void deeplyNestedJsonIsRejectedAndAckedNotThrown() {
    String json =
        "{\"from\":\"T\",\"message_id\":\"deep\",\"category\":\"c\",\"data\":{\"k\":"
            + "[".repeat(5000)
            + "]".repeat(5000)
            + "}}";
    Inbound.Rejected rejected = assertInstanceOf(Inbound.Rejected.class, codec.decode(json));
    assertEquals(RejectReason.TOO_DEEP, rejected.reason());
    assertEquals(Optional.of(new AckKey("T", "deep")), rejected.ackKey());
  }

  @Test
  void bracketsInsideStringsAreNotNesting() {
    String brackets = "[".repeat(100);
    assertInstanceOf(
        Inbound.Upstream.class,
        codec.decode(
            "{\"from\":\"T\",\"message_id\":\"b\",\"category\":\"c\",\"data\":{\"k\":\""
                + brackets
                + "\"}}"));
  }

  @Test
  void deeplyNestedJsonWithoutFieldsIsRejected() {
    Inbound.Rejected rejected =
        assertInstanceOf(Inbound.Rejected.class, codec.decode("[".repeat(5000) + "]".repeat(5000)));
    assertEquals(RejectReason.TOO_DEEP, rejected.reason());
    assertEquals(Optional.empty(), rejected.ackKey());
  }
}
