package io.uplink.ccs;

import java.util.Map;
import java.util.Optional;

/**
 * Checks a decoded upstream message against ccs-protocol.md §3.6 and the configured {@link
 * UpstreamLimits}: required {@code from}, {@code category} and {@code message_id}, ids that are
 * text (no lone surrogate), stored field lengths, the 4 KB {@code data} limit and the allowed
 * application IDs. Stateless.
 */
final class UpstreamValidation {

  private UpstreamValidation() {}

  static Inbound validate(InboundJson json, int stanzaBytes, UpstreamLimits limits) {
    Optional<AckKey> key =
        CcsCodec.isBlank(json.from()) || CcsCodec.isBlank(json.messageId())
            ? Optional.empty()
            : Optional.of(new AckKey(json.from(), json.messageId()));
    if (key.isEmpty()) {
      return new Inbound.Rejected(
          RejectReason.MISSING_FIELD, "upstream message without from or message_id", key);
    }
    if (!CcsCodec.isWellFormed(json.from()) || !CcsCodec.isWellFormed(json.messageId())) {
      return new Inbound.Rejected(
          RejectReason.INVALID_TEXT, "from or message_id holds a lone surrogate", Optional.empty());
    }
    if (CcsCodec.isBlank(json.category())) {
      return new Inbound.Rejected(RejectReason.MISSING_FIELD, "category is missing", key);
    }
    Optional<String> tooLong = tooLongField(json);
    if (tooLong.isPresent()) {
      return new Inbound.Rejected(RejectReason.FIELD_TOO_LONG, tooLong.get(), key);
    }
    Optional<Map<String, String>> maybeData = StringMaps.of(json.data());
    if (maybeData.isEmpty()) {
      return new Inbound.Rejected(
          RejectReason.WRONG_TYPE, "data holds a value that is not a string", key);
    }
    Map<String, String> data = maybeData.get();
    int dataBytes = dataBytes(data);
    if (dataBytes > UpstreamLimits.MAX_DATA_BYTES) {
      return new Inbound.Rejected(
          RejectReason.OVERSIZED_DATA,
          "data is " + dataBytes + " bytes, limit " + UpstreamLimits.MAX_DATA_BYTES,
          key);
    }
    if (!limits.acceptsCategory(json.category())) {
      return new Inbound.Rejected(
          RejectReason.UNKNOWN_CATEGORY, "category '" + json.category() + "' is not allowed", key);
    }
    return new Inbound.Upstream(
        json.from(),
        json.category(),
        json.messageId(),
        data,
        Optional.ofNullable(json.timeToLive()),
        stanzaBytes);
  }

  private static Optional<String> tooLongField(InboundJson json) {
    if (json.from().length() > UpstreamLimits.MAX_FROM_LENGTH) {
      return Optional.of("from is longer than " + UpstreamLimits.MAX_FROM_LENGTH);
    }
    if (json.messageId().length() > UpstreamLimits.MAX_MESSAGE_ID_LENGTH) {
      return Optional.of("message_id is longer than " + UpstreamLimits.MAX_MESSAGE_ID_LENGTH);
    }
    if (json.category().length() > UpstreamLimits.MAX_CATEGORY_LENGTH) {
      return Optional.of("category is longer than " + UpstreamLimits.MAX_CATEGORY_LENGTH);
    }
    return Optional.empty();
  }

  private static int dataBytes(Map<String, String> data) {
    int total = 0;
    for (Map.Entry<String, String> entry : data.entrySet()) {
      total += CcsCodec.utf8Length(entry.getKey()) + CcsCodec.utf8Length(entry.getValue());
    }
    return total;
  }
}
