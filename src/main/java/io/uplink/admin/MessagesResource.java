package io.uplink.admin;

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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code POST /uplink/api/messages} accepts a downstream message (202 with its {@code message_id}
 * once it is in the outbox, 409 for a {@code message_id} the sender used before); {@code GET
 * /uplink/api/messages/{id}} tells its state. Bad JSON or a message CCS would refuse gets 400 with
 * the reason. Admins only. Thread-safe.
 */
@Path("messages")
@ApplicationScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

  @Inject OutboxSender sender;
  @Inject Outbox outbox;

  @Inject Jsonb jsonb;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response send(String body) {
    MessageRequest request;
    try {
      request = jsonb.fromJson(body, MessageRequest.class);
    } catch (JsonbException e) {
      return InvalidRequestMapper.badRequest("the body is not a valid message: " + e.getMessage());
    }
    if (request == null) {
      return InvalidRequestMapper.badRequest("the body is empty");
    }
    String senderId = request.senderId() == null ? sender.defaultSenderId() : request.senderId();
    try {
      OutboxSender.Accepted accepted = sender.accept(senderId, request.toDownstream());
      return Response.accepted(Map.of("message_id", accepted.messageId())).build();
    } catch (IllegalArgumentException e) {
      return InvalidRequestMapper.badRequest(e.getMessage());
    } catch (PersistenceException | TransactionalException e) {
      if (request.messageId() == null || outbox.find(senderId, request.messageId()).isEmpty()) {
        throw e;
      }
      return Response.status(Response.Status.CONFLICT)
          .entity(Map.of("error", "message_id already used by sender " + senderId))
          .build();
    }
  }

  @GET
  @Path("{id}")
  public Response state(
      @PathParam("id") String messageId, @QueryParam("sender_id") String senderId) {
    String sender = senderId == null ? this.sender.defaultSenderId() : senderId;
    return outbox
        .find(sender, messageId)
        .map(entry -> Response.ok(MessageState.of(entry)).build())
        .orElseGet(
            () ->
                Response.status(Response.Status.NOT_FOUND)
                    .entity(Map.of("error", "no message " + messageId + " of sender " + sender))
                    .build());
  }
}
