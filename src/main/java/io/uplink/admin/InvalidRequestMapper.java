package io.uplink.admin;

import io.uplink.api.InvalidDownstreamException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** Answers a message CCS would refuse with 400 and the rule it breaks. */
@Provider
public class InvalidRequestMapper implements ExceptionMapper<InvalidDownstreamException> {

  @Override
  public Response toResponse(InvalidDownstreamException e) {
    return badRequest(e.getMessage());
  }

  static Response badRequest(String reason) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", reason))
        .build();
  }
}
