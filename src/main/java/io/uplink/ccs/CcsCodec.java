package io.uplink.ccs;

import io.uplink.api.Downstream;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the JSON text of an inbound {@code <gcm>} stanza into an {@link Inbound} and writes the
 * JSON of acks, with Jakarta JSON Binding. Strict on purpose: a documented field of the wrong JSON
 * type rejects the stanza, while unknown top-level fields are ignored, because CCS may add fields
 * and §2.1 asks servers to tolerate what they do not know. Thread-safe; create one per
 * configuration and share it.
 */
public final class CcsCodec implements AutoCloseable {

  private static final String FAIL_ON_UNKNOWN_PROPERTIES = "jsonb.fail-on-unknown-properties";
  private static final int MAX_DETAIL = 160;

  /** Deeper than any CCS message (three levels at most), far below what binding survives. */
  private static final int MAX_DEPTH = 16;

  private final Jsonb jsonb;
  private final UpstreamLimits limits;

  public CcsCodec(UpstreamLimits limits) {
    this.limits = limits;
    this.jsonb =
        JsonbBuilder.create(
            new JsonbConfig()
                .withSerializers(new DownstreamJsonBinding())
                .withDeserializers(new StrictStringDeserializer(), new StrictLongDeserializer())
                .setProperty(FAIL_ON_UNKNOWN_PROPERTIES, false));
  }

  /**
   * Decodes one stanza's JSON. Never throws for bad input: that becomes {@link Inbound.Rejected}.
   */
  public Inbound decode(String json) {
    int bytes = utf8Length(json);
    if (bytes > limits.maxStanzaBytes()) {
      return rejected(
          RejectReason.OVERSIZED_STANZA, bytes + " bytes, limit " + limits.maxStanzaBytes(), json);
    }
    if (JsonNesting.depth(json) > MAX_DEPTH) {
      return new Inbound.Rejected(
          RejectReason.TOO_DEEP,
          "JSON nested deeper than " + MAX_DEPTH,
          JsonNesting.topLevelAckKey(json));
    }
    InboundJson parsed;
    try {
      parsed = jsonb.fromJson(json, InboundJson.class);
    } catch (JsonbException e) {
      return rejected(bindingFailure(json), shorten(e.getMessage()), json);
    } catch (RuntimeException e) {
      // The JSON-P parser under the binding throws plain runtime exceptions for some input.
      return rejected(RejectReason.MALFORMED_JSON, shorten(String.valueOf(e)), json);
    }
    if (parsed == null) {
      return new Inbound.Rejected(RejectReason.MALFORMED_JSON, "null", Optional.empty());
    }
    return classify(parsed, bytes);
  }

  /** The JSON of a downstream message, which must have its id assigned. */
  public String downstream(Downstream message) {
    if (message.messageId().isEmpty()) {
      throw new IllegalStateException("no message_id assigned to " + message);
    }
    return jsonb.toJson(message);
  }

  /** The JSON of an ack for an upstream message or a receipt. */
  public String ack(AckKey key) {
    return jsonb.toJson(AckJson.of(key));
  }

  private Inbound classify(InboundJson json, int bytes) {
    String type = json.messageType();
    if (type == null) {
      return UpstreamValidation.validate(json, bytes, limits);
    }
    return switch (type) {
      case "control" -> new Inbound.Control(json.controlType());
      case "receipt" -> receipt(json);
      case "ack" -> ack(json);
      case "nack" -> nack(json);
      default -> new Inbound.Unhandled(type, Optional.ofNullable(json.messageId()));
    };
  }

  private static Inbound ack(InboundJson json) {
    if (isBlank(json.messageId())) {
      return new Inbound.Rejected(
          RejectReason.MISSING_FIELD, "ack without message_id", Optional.empty());
    }
    return new Inbound.Ack(
        json.from(), json.messageId(), Optional.ofNullable(json.registrationId()));
  }

  private static Inbound nack(InboundJson json) {
    if (isBlank(json.messageId())) {
      return new Inbound.Rejected(
          RejectReason.MISSING_FIELD, "nack without message_id", Optional.empty());
    }
    // §3.4: an unexpected or missing code is handled like INTERNAL_SERVER_ERROR.
    String error = isBlank(json.error()) ? "INTERNAL_SERVER_ERROR" : json.error();
    return new Inbound.Nack(
        json.from(), json.messageId(), error, Optional.ofNullable(json.errorDescription()));
  }

  private static Inbound receipt(InboundJson json) {
    if (isBlank(json.messageId()) || isBlank(json.from())) {
      return new Inbound.Rejected(
          RejectReason.MISSING_FIELD, "receipt without message_id or from", Optional.empty());
    }
    if (!isWellFormed(json.messageId()) || !isWellFormed(json.from())) {
      return new Inbound.Rejected(
          RejectReason.INVALID_TEXT,
          "receipt message_id or from holds a lone surrogate",
          Optional.empty());
    }
    Optional<Map<String, String>> data = StringMaps.of(json.data());
    if (data.isEmpty()) {
      return new Inbound.Rejected(
          RejectReason.WRONG_TYPE,
          "receipt data holds a value that is not a string",
          Optional.empty());
    }
    return new Inbound.Receipt(json.from(), json.messageId(), data.get());
  }

  private RejectReason bindingFailure(String json) {
    return genericObject(json).isPresent() ? RejectReason.WRONG_TYPE : RejectReason.MALFORMED_JSON;
  }

  /**
   * A rejected stanza is acked when its {@code from} and {@code message_id} can still be read, so
   * that CCS does not redeliver a message that can never be accepted.
   */
  private Inbound rejected(RejectReason reason, String detail, String json) {
    Optional<AckKey> key =
        genericObject(json)
            .filter(object -> object.get("message_type") == null)
            .flatMap(CcsCodec::ackKeyOf);
    return new Inbound.Rejected(reason, detail, key);
  }

  private Optional<Map<?, ?>> genericObject(String json) {
    try {
      Object value = jsonb.fromJson(json, Object.class);
      return value instanceof Map<?, ?> map ? Optional.of(map) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<AckKey> ackKeyOf(Map<?, ?> object) {
    if (object.get("from") instanceof String from
        && object.get("message_id") instanceof String id
        && !from.isBlank()
        && !id.isBlank()) {
      return Optional.of(new AckKey(from, id));
    }
    return Optional.empty();
  }

  /** Parser messages can quote input; a rejection logs only their start. */
  private static String shorten(String message) {
    return message == null || message.length() <= MAX_DETAIL
        ? message
        : message.substring(0, MAX_DETAIL) + "…";
  }

  static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** Whether every surrogate in the text is half of a pair, so that it encodes to UTF-8 intact. */
  static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static int utf8Length(String text) {
    return isAscii(text) ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws Exception {
    jsonb.close();
  }
}
