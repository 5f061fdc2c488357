package io.uplink.admin;

import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The paging rules of the admin API's lists ({@code ?page=0&size=50}): a page from 0, a size from 1
 * to {@value #MAX_SIZE}, and no page so far that its first row overflows. Stateless.
 */
final class Paging {

  static final int MAX_SIZE = 500;

  private Paging() {}

  /** A 400 answer naming the rules when the page or size breaks them. */
  static Optional<Response> refusal(int page, int size) {
    if (page < 0 || size < 1 || size > MAX_SIZE || (long) page * size > Integer.MAX_VALUE) {
      return Optional.of(
          InvalidRequestMapper.badRequest("page must be 0 or more and size 1 to " + MAX_SIZE));
    }
    return Optional.empty();
  }
}
