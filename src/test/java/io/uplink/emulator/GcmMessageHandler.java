package io.uplink.emulator;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;

/**
 * Answers the {@code <message>} stanzas of one bound connection the way CCS does: upstream ACKs are
 * judged against the {@link UpstreamLedger} (ccs-protocol.md §3.7), downstream messages without a
 * usable {@code message_id} get a stanza error (§3.5) and the others go to the {@link
 * DownstreamResponder} for their ACK or NACK (§3.1-3.4), and anything the app server must never
 * send is recorded as a {@link ProtocolViolation}. Used only by its connection's reader thread.
 */
final class GcmMessageHandler {

  private static final String CLIENT_NAMESPACE = "jabber:client";

  private final EmulatedConnection connection;
  private final EmulatorContext context;

  GcmMessageHandler(EmulatedConnection connection, EmulatorContext context) {
    this.connection = connection;
    this.context = context;
  }

  /**
   * @throws StreamErrorException when the message breaks the stream contract, such as the pending
   *     window of ccs-protocol.md §4.1
   */
  void receive(XmlElement message) throws StreamErrorException {
    if ("error".equals(message.attribute("type"))) {
      violation("message stanza of type error: " + message.toXml(CLIENT_NAMESPACE));
      return;
    }
    XmlElement gcm = message.child("gcm", Stanzas.GCM_NAMESPACE).orElse(null);
    if (gcm == null) {
      violation("message without a google:mobile:data gcm element");
      return;
    }
    String text = gcm.text();
    JsonObject json;
    try {
      json = context.json().parseObject(text);
    } catch (JsonException e) {
      violation("unparsable JSON: " + e.getMessage());
      stanzaError(message, text, null, "InvalidJson: JSON_PARSING_ERROR : " + e.getMessage());
      return;
    }
    JsonValue type = json.get("message_type");
    if (type == null) {
      downstream(message, text, json);
    } else if (!(type instanceof JsonString typeName)) {
      violation("message_type is not a string: " + text);
      stanzaError(
          message,
          text,
          null,
          "InvalidJson: JSON_TYPE_ERROR : Field \"message_type\" must be a JSON java.lang.String");
    } else if (typeName.getString().equals("ack")) {
      acknowledge(message, text, json);
    } else if (typeName.getString().equals("nack")) {
      violation("the app server sent a NACK (ccs-protocol.md §2.2: it never needs to)");
    } else {
      violation("unexpected message_type from the app server: " + typeName.getString());
    }
  }

  private void acknowledge(XmlElement message, String text, JsonObject json) {
    String to = GcmJson.string(json, "to");
    String messageId = GcmJson.string(json, "message_id");
    if (to != null && messageId != null) {
      context.ledger().acknowledge(connection, to, messageId, text);
      return;
    }
    boolean missing = !json.containsKey("to") || !json.containsKey("message_id");
    String detail =
        missing
            ? "missing " + (json.containsKey("to") ? "message_id" : "to")
            : (to == null ? "to" : "message_id") + " is not a JSON string";
    context
        .recorder()
        .ack(
            new AckRecord(
                connection.id(),
                connection.senderId(),
                to,
                messageId,
                missing ? AckVerdict.MISSING_FIELD : AckVerdict.BAD_JSON,
                detail,
                text,
                Instant.now()));
    if (messageId != null) {
      connection.send(Stanzas.ackOrNack(context.json().nack(to, messageId, "BAD_ACK", detail)));
    } else {
      stanzaError(
          message,
          text,
          null,
          "InvalidJson: JSON_PARSING_ERROR : Missing Required Field: message_id");
    }
  }

  private void downstream(XmlElement message, String text, JsonObject json)
      throws StreamErrorException {
    JsonValue id = json.get("message_id");
    if (id == null) {
      stanzaError(
          message,
          text,
          null,
          "InvalidJson: JSON_PARSING_ERROR : Missing Required Field: message_id");
      return;
    }
    if (!(id instanceof JsonString idString)) {
      stanzaError(
          message,
          text,
          null,
          "InvalidJson: JSON_TYPE_ERROR : Field \"message_id\" must be a JSON java.lang.String");
      return;
    }
    context
        .downstream()
        .receive(connection, message.attribute("id"), idString.getString(), json, text);
  }

  /**
   * Answers at once, outside the pending window: without a {@code message_id} the client cannot
   * count the message as pending (§3.5).
   */
  private void stanzaError(XmlElement message, String text, String messageId, String errorText) {
    Instant now = Instant.now();
    context
        .recorder()
        .downstream(
            new DownstreamRecord(
                connection.id(),
                connection.senderId(),
                message.attribute("id"),
                messageId,
                null,
                DownstreamRecord.Outcome.STANZA_ERROR,
                errorText,
                "",
                text,
                now,
                now));
    connection.send(
        Stanzas.messageError(message.attribute("id"), connection.jid(), text, errorText));
  }

  private void violation(String description) {
    context.recorder().violation(connection.id(), description);
  }
}
