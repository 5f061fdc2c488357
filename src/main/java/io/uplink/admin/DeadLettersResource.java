package io.uplink.admin;

import io.uplink.upstream.DeadLetterReplay;
import io.uplink.upstream.DeadLetterReplay.ReplayResult;
import io.uplink.upstream.DeadLetters;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dead letters, for an operator: {@code GET /uplink/api/dead-letters?page=0&size=50} lists them
 * newest first (tokens abbreviated) with the total; {@code GET .../{id}} shows one; {@code POST
 * .../{id}/replay} delivers one again through the normal path (de-duplication, observers) and
 * removes it, or answers 409 with the observers' error and keeps it; {@code POST .../replay} with
 * {@code {"ids":[...]}} replays a selection, each on its own; {@code DELETE .../{id}} drops one.
 * Admins only. Thread-safe.
 */
@Path("dead-letters")
@ApplicationScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {

  @Inject DeadLetters deadLetters;
  @Inject DeadLetterReplay replay;

  @GET
  public Response list(
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    Optional<Response> refused = Paging.refusal(page, size);
    if (refused.isPresent()) {
      return refused.get();
    }
    return Response.ok(
            Map.of(
                "total",
                deadLetters.count(),
                "page",
                page,
                "size",
                size,
                "dead_letters",
                deadLetters.page(page, size)))
        .build();
  }

  @GET
  @Path("{id}")
  public Response show(@PathParam("id") long id) {
    return deadLetters
        .find(id)
        .map(letter -> Response.ok(letter).build())
        .orElseGet(() -> notFound(id));
  }

  @POST
  @Path("{id}/replay")
  public Response replay(@PathParam("id") long id) {
    ReplayResult result = replay.replay(id);
    return switch (result.outcome()) {
      case "not found" -> notFound(id);
      case "failed" -> Response.status(Response.Status.CONFLICT).entity(result).build();
      default -> Response.ok(result).build();
    };
  }

  @POST
  @Path("replay")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response replaySelection(Selection selection) {
    if (selection == null || selection.ids() == null || selection.ids().isEmpty()) {
      return InvalidRequestMapper.badRequest("give the ids to replay: {\"ids\":[1,2]}");
    }
    return Response.ok(selection.ids().stream().map(replay::replay).toList()).build();
  }

  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") long id) {
    return deadLetters.delete(id) ? Response.noContent().build() : notFound(id);
  }

  private static Response notFound(long id) {
    return Response.status(Response.Status.NOT_FOUND)
        .entity(Map.of("error", "no dead letter " + id))
        .build();
  }

  /** The body of a replay of several dead letters. */
  public record Selection(List<Long> ids) {}
}
