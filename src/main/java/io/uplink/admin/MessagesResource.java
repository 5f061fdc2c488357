package io.uplink.admin;

import io.uplink.api.Downstream;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.downstream.Cancellation;
import io.uplink.downstream.DownstreamCancel;
import io.uplink.downstream.Outbox;
import io.uplink.downstream.OutboxSender;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox, for applications without Java and for operators. {@code POST /uplink/api/messages}
 * accepts a downstream message (202 with its {@code message_id} once it is in the outbox, 409 for a
 * {@code message_id} the sender used before); {@code GET .../messages/{id}} tells its state; {@code
 * GET .../messages?state=pending&page=0&size=50} lists a sender's pending messages, oldest first,
 * with the total; {@code DELETE .../messages/{id}} cancels a pending one (409 with its state when
 * it has ended or another live instance sends it). Each takes {@code sender_id} (default: the first
 * sender). Bad JSON or a message CCS would refuse gets 400 with the reason. Admins only.
 * Thread-safe.
 */
@Path("messages")
@ApplicationScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

  @Inject OutboxSender sender;
  @Inject Outbox outbox;
  @Inject DownstreamCancel cancel;

  @Inject Jsonb jsonb;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response send(String body) {
    MessageRequest request;
    Downstream message;
    try {
      request = jsonb.fromJson(body, MessageRequest.class);
      if (request == null) {
        return InvalidRequestMapper.badRequest("the body is empty");
      }
      message = jsonb.fromJson(body, Downstream.class);
    } catch (JsonbException e) {
      return InvalidRequestMapper.badRequest("the body is not a valid message: " + reason(e));
    }
    String senderId = request.senderId() == null ? sender.defaultSenderId() : request.senderId();
    try {
      OutboxSender.Accepted accepted = sender.accept(senderId, message, false);
      return Response.accepted(Map.of("message_id", accepted.messageId())).build();
    } catch (IllegalArgumentException e) {
      return InvalidRequestMapper.badRequest(e.getMessage());
    } catch (PersistenceException | TransactionalException e) {
      if (message.messageId().filter(id -> outbox.find(senderId, id).isPresent()).isEmpty()) {
        throw e;
      }
      return Response.status(Response.Status.CONFLICT)
          .entity(Map.of("error", "message_id already used by sender " + senderId))
          .build();
    }
  }

  @GET
  public Response pending(
      @QueryParam("state") String state,
      @QueryParam("sender_id") String senderId,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    if (!"pending".equals(state)) {
      return InvalidRequestMapper.badRequest("list the pending messages with ?state=pending");
    }
    Optional<Response> refused = Paging.refusal(page, size);
    if (refused.isPresent()) {
      return refused.get();
    }
    String sender = senderId == null ? this.sender.defaultSenderId() : senderId;
    return Response.ok(
            Map.of(
                "sender_id",
                sender,
                "total",
                outbox.countPending(sender),
                "page",
                page,
                "size",
                size,
                "messages",
                outbox.pending(sender, page, size).stream().map(MessageState::of).toList()))
        .build();
  }

  @DELETE
  @Path("{id}")
  public Response cancel(
      @PathParam("id") String messageId, @QueryParam("sender_id") String senderId) {
    String sender = senderId == null ? this.sender.defaultSenderId() : senderId;
    Cancellation cancellation = cancel.cancel(sender, messageId);
    Optional<MessageState> found = cancellation.entry().map(MessageState::of);
    if (found.isEmpty()) {
      return noMessage(sender, messageId);
    }
    MessageState state = found.get();
    return switch (cancellation.outcome()) {
      case NOT_FOUND -> noMessage(sender, messageId);
      case CANCELLED -> Response.ok(state).build();
      case CANCELLED_LATE -> Response.accepted(state).build();
      case NOT_PENDING ->
          "cancelled".equals(state.state())
              ? Response.ok(state).build()
              : conflict("the message has ended", state);
      case OWNED_ELSEWHERE ->
          conflict("instance " + state.owner() + " is sending it: cancel it there", state);
    };
  }

  @GET
  @Path("{id}")
  public Response state(
      @PathParam("id") String messageId, @QueryParam("sender_id") String senderId) {
    String sender = senderId == null ? this.sender.defaultSenderId() : senderId;
    return outbox
        .find(sender, messageId)
        .map(entry -> Response.ok(MessageState.of(entry)).build())
        .orElseGet(() -> noMessage(sender, messageId));
  }

  /** The rule the message breaks, without the binding's wrapping, or the parser's complaint. */
  private static String reason(JsonbException e) {
    return e.getCause() instanceof InvalidDownstreamException invalid
        ? invalid.getMessage()
        : e.getMessage();
  }

  private static Response conflict(String error, MessageState message) {
    return Response.status(Response.Status.CONFLICT)
        .entity(Map.of("error", error, "message", message))
        .build();
  }

  private static Response noMessage(String sender, String messageId) {
    return Response.status(Response.Status.NOT_FOUND)
        .entity(Map.of("error", "no message " + messageId + " of sender " + sender))
        .build();
  }
}
