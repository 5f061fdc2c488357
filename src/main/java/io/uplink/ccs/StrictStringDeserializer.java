package io.uplink.ccs;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;

/**
 * Makes JSON-B refuse a number, boolean, array or object where the protocol documents a string,
 * instead of silently turning it into text. JSON {@code null} stays null (an absent field).
 * Stateless and thread-safe.
 */
final class StrictStringDeserializer implements JsonbDeserializer<String> {

  @Override
  public String deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
    JsonValue value = parser.getValue();
    if (value instanceof JsonString string) {
      return string.getString();
    }
    if (value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    throw new JsonbException("expected a JSON string but found " + value.getValueType());
  }
}
