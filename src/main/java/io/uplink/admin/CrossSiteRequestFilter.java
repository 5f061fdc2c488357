package io.uplink.admin;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Refuses requests that change something (send, cancel, replay, delete) when a browser made them
 * from another site: the dashboard signs admins in with BASIC authentication, which the browser
 * then adds to every request to this origin, so a page elsewhere could otherwise post a form here
 * with an admin's credentials. A browser says where a request comes from in {@code Sec-Fetch-Site}
 * or, older ones, in {@code Origin}; clients outside a browser (curl, scripts) send neither and
 * pass. Stateless.
 */
@Provider
public class CrossSiteRequestFilter implements ContainerRequestFilter {

  private static final Logger LOG = Logger.getLogger(CrossSiteRequestFilter.class.getName());
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

  @Override
  public void filter(ContainerRequestContext request) {
    if (SAFE_METHODS.contains(request.getMethod()) || fromThisSite(request)) {
      return;
    }
    LOG.warning(
        "Refused a cross-site "
            + request.getMethod()
            + " to /"
            + request.getUriInfo().getPath()
            + " (Sec-Fetch-Site "
            + request.getHeaderString("Sec-Fetch-Site")
            + ")");
    request.abortWith(
        Response.status(Response.Status.FORBIDDEN)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(Map.of("error", "a request from another site may not change anything here"))
            .build());
  }

  private static boolean fromThisSite(ContainerRequestContext request) {
    String fetchSite = request.getHeaderString("Sec-Fetch-Site");
    if (fetchSite != null) {
      return OWN_SITE.contains(fetchSite.toLowerCase(Locale.ROOT));
    }
    String origin = request.getHeaderString("Origin");
    String host = request.getHeaderString("Host");
    return origin == null || host != null && hostOf(origin).equalsIgnoreCase(hostOf("//" + host));
  }

  /** The host name of an origin or a Host header, without scheme and port; empty if none. */
  private static String hostOf(String address) {
    try {
      String host = URI.create(address).getHost();
      return host == null ? "" : host;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
