package io.uplink.ccs;

import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;

/**
 * Makes JSON-B refuse a number, boolean, array or object where the protocol documents a string,
 * instead of silently turning it into text. Stateless and thread-safe.
 */
final class StrictStringDeserializer implements JsonbDeserializer<String> {

  @Override
  public String deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
    JsonParser.Event event = parser.currentEvent();
    if (event != JsonParser.Event.VALUE_STRING) {
      throw new JsonbException("expected a JSON string but found " + event);
    }
    return parser.getString();
  }
}
