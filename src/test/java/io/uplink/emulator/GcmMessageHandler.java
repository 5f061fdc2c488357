package io.uplink.emulator;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;

/**
 * Answers the {@code <message>} stanzas of one bound connection the way CCS does: upstream ACKs are
 * judged against the {@link UpstreamLedger} (ccs-protocol.md §3.7), downstream messages get an ACK,
 * NACK or stanza error (§3.1-3.5), and anything the app server must never send is recorded as a
 * {@link ProtocolViolation}. Used only by its connection's reader thread.
 */
final class GcmMessageHandler {

  private static final String CLIENT_NAMESPACE = "jabber:client";

  private final EmulatedConnection connection;
  private final EmulatorContext context;

  GcmMessageHandler(EmulatedConnection connection, EmulatorContext context) {
    this.connection = connection;
    this.context = context;
  }

  void receive(XmlElement message) {
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

  private void downstream(XmlElement message, String text, JsonObject json) {
    String stanzaId = message.attribute("id");
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
    String messageId = idString.getString();
    String to = GcmJson.string(json, "to");
    String condition = GcmJson.string(json, "condition");
    String target = to != null ? to : condition;
    DownstreamReply reply;
    if (json.containsKey("to") && to == null
        || json.containsKey("condition") && condition == null) {
      reply =
          DownstreamReply.nack(
              "INVALID_JSON",
              "InvalidJson: JSON_TYPE_ERROR : Field \""
                  + (to == null ? "to" : "condition")
                  + "\" must be a JSON java.lang.String");
    } else if (to == null && condition == null) {
      reply =
          DownstreamReply.nack(
              "INVALID_JSON", "InvalidJson: MISSING_REGISTRATION : Missing Required Field: to");
    } else if (to != null && condition != null) {
      reply =
          DownstreamReply.nack("INVALID_JSON", "InvalidJson: Must not set both to and condition");
    } else {
      reply =
          context
              .downstreamPolicy()
              .replyTo(
                  new Downstream(connection.id(), connection.senderId(), messageId, target, json));
    }
    // Record before replying, so a test that has seen the reply also sees the record.
    if (reply instanceof DownstreamReply.Nack nack) {
      record(stanzaId, messageId, target, DownstreamRecord.Outcome.NACKED, nack.error(), text);
      connection.send(
          Stanzas.ackOrNack(
              context.json().nack(target, messageId, nack.error(), nack.description())));
    } else {
      record(stanzaId, messageId, target, DownstreamRecord.Outcome.ACKED, "", text);
      connection.send(Stanzas.ackOrNack(context.json().downstreamAck(target, messageId)));
    }
  }

  private void stanzaError(XmlElement message, String text, String messageId, String errorText) {
    record(
        message.attribute("id"),
        messageId,
        null,
        DownstreamRecord.Outcome.STANZA_ERROR,
        errorText,
        text);
    connection.send(
        Stanzas.messageError(message.attribute("id"), connection.jid(), text, errorText));
  }

  private void record(
      String stanzaId,
      String messageId,
      String to,
      DownstreamRecord.Outcome outcome,
      String detail,
      String text) {
    context
        .recorder()
        .downstream(
            new DownstreamRecord(
                connection.id(),
                connection.senderId(),
                stanzaId,
                messageId,
                to,
                outcome,
                detail,
                text,
                Instant.now()));
  }

  private void violation(String description) {
    context.recorder().violation(connection.id(), description);
  }
}
