package io.uplink.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The benchmarks' client of {@code POST /uplink/api/messages/batch}: data messages {@code
 * prefix-from … prefix-(to-1)} to a hundred tokens, as the test admin user. Thread-safe.
 */
final class BatchEndpoint {

  /** Messages per request: the most the endpoint takes. */
  static final int BATCH = 500;

  private static final String ADMIN =
      "Basic " + Base64.getEncoder().encodeToString(Probe.ADMIN.getBytes(StandardCharsets.UTF_8));

  private final HttpClient http = LoopbackHttp.client();

  /**
   * Posts the messages {@code prefix-from … prefix-(to-1)}.
   *
   * @throws IllegalStateException unless every message was accepted
   */
  void post(URI batch, String prefix, int from, int to) {
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(batch)
                  .header("Authorization", ADMIN)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body(prefix, from, to)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 202 || answer.body().contains("\"error\"")) {
        throw new IllegalStateException(
            "the batch was refused: " + answer.statusCode() + " " + answer.body());
      }
    } catch (Exception e) {
      throw new IllegalStateException("posting a batch failed", e);
    }
  }

  private static String body(String prefix, int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(
            i ->
                "{\"to\":\"bench-token-"
                    + (i % 100)
                    + "-0123456789abcdef\",\"message_id\":\""
                    + prefix
                    + "-"
                    + i
                    + "\",\"data\":{\"n\":\""
                    + i
                    + "\"}}")
        .collect(Collectors.joining(",", "{\"messages\":[", "]}"));
  }
}
