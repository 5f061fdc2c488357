package io.uplink.admin;

import io.uplink.api.Downstream;
import io.uplink.api.DownstreamSender;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.downstream.OutboxSender;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code POST /uplink/api/messages/batch}: many downstream messages in one request and one outbox
 * transaction, as FCM's {@code sendEach} and {@code sendEachForMulticast}. The body is {@code
 * {"sender_id"?: …, "messages": [ … ]}}, each element what {@code POST /uplink/api/messages} takes,
 * or {@code {"sender_id"?: …, "message": {…}, "tokens": [ … ]}}, the message without a target or
 * id, sent to each token with an id of its own. At most {@value DownstreamSender#MAX_BATCH}
 * messages (413 beyond). The answer is 202 with {@code {"results": [ … ]}} in request order: {@code
 * index}, {@code message_id} and {@code state} of each accepted message, or {@code index} and
 * {@code error} of each refused one; a bad message is refused by itself, never the whole batch. A
 * body that is not such a request gets 400 with the reason. Admins only. Thread-safe.
 */
@Path("messages/batch")
@ApplicationScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class MessageBatchResource {

  @Inject OutboxSender sender;
  @Inject Jsonb jsonb;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response send(String body) {
    JsonObject request;
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        return InvalidRequestMapper.badRequest("the body must be a JSON object");
      }
      request = value.asJsonObject();
    } catch (JsonException e) {
      return InvalidRequestMapper.badRequest("the body is not JSON: " + e.getMessage());
    }
    boolean list = request.containsKey("messages");
    boolean multicast = request.containsKey("message") || request.containsKey("tokens");
    if (list == multicast) {
      return InvalidRequestMapper.badRequest(
          "give either \"messages\", or \"message\" and \"tokens\"");
    }
    String key = list ? "messages" : "tokens";
    JsonValue items = request.get(key);
    if (items == null || items.getValueType() != JsonValue.ValueType.ARRAY) {
      return InvalidRequestMapper.badRequest("\"" + key + "\" must be an array");
    }
    int size = items.asJsonArray().size();
    if (size == 0) {
      return InvalidRequestMapper.badRequest("\"" + key + "\" is empty");
    }
    if (size > DownstreamSender.MAX_BATCH) {
      return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
          .entity(
              Map.of(
                  "error",
                  "at most "
                      + DownstreamSender.MAX_BATCH
                      + " messages a request: "
                      + size
                      + " given"))
          .build();
    }
    JsonValue senderValue = request.get("sender_id");
    if (senderValue != null && senderValue.getValueType() != JsonValue.ValueType.STRING) {
      return InvalidRequestMapper.badRequest("\"sender_id\" must be a string");
    }
    String senderId =
        senderValue == null ? sender.defaultSenderId() : request.getString("sender_id");
    List<Supplier<Downstream>> candidates;
    if (list) {
      candidates = items.asJsonArray().stream().map(this::message).toList();
    } else {
      JsonValue message = request.get("message");
      if (message == null || message.getValueType() != JsonValue.ValueType.OBJECT) {
        return InvalidRequestMapper.badRequest("\"message\" must be a JSON object");
      }
      for (String own : List.of("to", "condition", "message_id")) {
        if (message.asJsonObject().containsKey(own)) {
          return InvalidRequestMapper.badRequest(
              "\"message\" has no \"" + own + "\" of its own: each token gets a copy with its id");
        }
      }
      candidates =
          items.asJsonArray().stream().map(token -> copyTo(message.asJsonObject(), token)).toList();
    }
    List<OutboxSender.BatchEntry> entries;
    try {
      entries = sender.acceptEach(senderId, candidates, false);
    } catch (IllegalArgumentException e) {
      return InvalidRequestMapper.badRequest(e.getMessage());
    }
    List<Map<String, Object>> results = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      results.add(result(i, entries.get(i)));
    }
    return Response.accepted(Map.of("results", results)).build();
  }

  private static Map<String, Object> result(int index, OutboxSender.BatchEntry entry) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("index", index);
    entry
        .refusal()
        .ifPresentOrElse(
            reason -> result.put("error", reason),
            () -> {
              result.put("message_id", entry.messageId());
              result.put("state", "pending");
            });
    return result;
  }

  /** One element of {@code messages}, read when the batch is accepted. */
  private Supplier<Downstream> message(JsonValue element) {
    return () -> {
      if (element.getValueType() != JsonValue.ValueType.OBJECT) {
        throw new InvalidDownstreamException("not a JSON object");
      }
      if (element.asJsonObject().containsKey("sender_id")) {
        throw new InvalidDownstreamException(
            "sender_id belongs to the batch, not to one of its messages");
      }
      return read(element.toString());
    };
  }

  /** The multicast's message with the token as its target. */
  private Supplier<Downstream> copyTo(JsonObject message, JsonValue token) {
    return () -> {
      if (token.getValueType() != JsonValue.ValueType.STRING) {
        throw new InvalidDownstreamException("a token must be a string");
      }
      return read(Json.createObjectBuilder(message).add("to", token).build().toString());
    };
  }

  private Downstream read(String json) {
    try {
      Downstream message = jsonb.fromJson(json, Downstream.class);
      if (message == null) {
        throw new InvalidDownstreamException("not a message");
      }
      return message;
    } catch (JsonbException e) {
      throw new InvalidDownstreamException(
          e.getCause() instanceof InvalidDownstreamException invalid
              ? invalid.getMessage()
              : "not a valid message: " + e.getMessage());
    }
  }
}
