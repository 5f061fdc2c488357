package io.uplink.it.bench;

import io.uplink.api.Downstream;
import io.uplink.api.DownstreamSender;
import io.uplink.api.SendResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /uplink/bench/send?count=n&prefix=p}: sends n downstream messages through {@link
 * DownstreamSender} and answers, once CCS answered them all, how long that took.
 */
@Path("send")
@ApplicationScoped
public class BenchResource {

  @Inject DownstreamSender sender;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Long> send(@QueryParam("count") int count, @QueryParam("prefix") String prefix)
      throws Exception {
    long start = System.nanoTime();
    List<CompletableFuture<SendResult>> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      results.add(
          sender
              .send(
                  Downstream.to("bench-token-" + (i % 100) + "-0123456789abcdef")
                      .messageId(prefix + "-" + i)
                      .data("n", String.valueOf(i))
                      .build())
              .toCompletableFuture());
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    return Map.of("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }
}
