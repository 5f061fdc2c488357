package com.example.push;

import io.uplink.api.Downstream;
import io.uplink.api.DownstreamSender;
import io.uplink.api.Notification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The backend's side of the push flow: {@code POST /uplink/app/comments} notifies every device of
 * the user a comment is for, through Uplink's {@link DownstreamSender}; {@code GET
 * /uplink/app/users/{user}/tokens} shows the devices a user has. The sends join this method's
 * transaction: all of them are accepted, or none.
 */
@Path("")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class CommentsResource {

  @Inject PushTokens tokens;
  @Inject DownstreamSender sender;

  @POST
  @Path("comments")
  @Consumes(MediaType.APPLICATION_JSON)
  @Transactional
  public Response commentPosted(CommentPosted comment) {
    Notification notification =
        Notification.builder().title(comment.author() + " commented").body(comment.text()).build();
    List<String> messageIds = new ArrayList<>();
    for (String token : tokens.of(comment.user())) {
      String messageId = "comment-" + UUID.randomUUID();
      sender.send(
          Downstream.to(token)
              .messageId(messageId)
              .notification(notification)
              .data("kind", "comment")
              .build());
      messageIds.add(messageId);
    }
    return Response.accepted(Map.of("notified", messageIds)).build();
  }

  @GET
  @Path("users/{user}/tokens")
  public List<String> tokensOf(@PathParam("user") String user) {
    return tokens.of(user);
  }
}
