package io.uplink.ccs;

import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;

/**
 * Makes JSON-B refuse a string or a fraction where the protocol documents a whole JSON number
 * ({@code time_to_live}: "must be a JSON java.lang.Number", ccs-protocol.md §3.1), instead of
 * parsing {@code "600"} as 600. JSON {@code null} stays null. Stateless and thread-safe.
 */
final class StrictLongDeserializer implements JsonbDeserializer<Long> {

  @Override
  public Long deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
    JsonValue value = parser.getValue();
    if (value instanceof JsonNumber number && number.isIntegral()) {
      return number.longValueExact();
    }
    if (value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    throw new JsonbException("expected a whole JSON number but found " + value);
  }
}
