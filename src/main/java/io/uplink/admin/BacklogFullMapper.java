package io.uplink.admin;

import io.uplink.api.BacklogFullException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/**
 * Answers a send refused for a full backlog with {@code 429 Too Many Requests}, a {@code
 * Retry-After} in seconds and the reason, so that a producer slows down instead of the gateway
 * running out of memory.
 */
@Provider
public class BacklogFullMapper implements ExceptionMapper<BacklogFullException> {

  @Override
  public Response toResponse(BacklogFullException e) {
    return Response.status(Response.Status.TOO_MANY_REQUESTS)
        .type(MediaType.APPLICATION_JSON)
        .header("Retry-After", Math.max(1, e.retryAfter().toSeconds()))
        .entity(Map.of("error", e.getMessage()))
        .build();
  }
}
