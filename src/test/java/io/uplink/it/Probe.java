package io.uplink.it;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the test application's probe ({@code /uplink/probe/...}) over HTTP. Payara Micro listens on
 * loopback only, so the host Arquillian reports is replaced by 127.0.0.1.
 */
final class Probe {

  /** The admin user that src/test/payara/post-boot-commands.asadmin creates. */
  static final String ADMIN = "uplink-admin:it-admin-secret";

  private final URI base;
  private final HttpClient http = LoopbackHttp.client();
  private final Jsonb jsonb = JsonbBuilder.create();

  Probe(URL deploymentUrl) {
    this.base = URI.create("http://127.0.0.1:" + deploymentUrl.getPort() + deploymentUrl.getPath());
  }

  /** The rows the recording observer committed for one message id: senderId, device, category. */
  List<Map<String, Object>> delivered(String messageId) {
    return list("probe/delivered/" + URLEncoder.encode(messageId, StandardCharsets.UTF_8));
  }

  /** How many committed rows each message id has. */
  @SuppressWarnings("unchecked")
  Map<String, Long> deliveriesPerMessageId() {
    Map<String, Number> counts =
        jsonb.fromJson(
            call(HttpRequest.newBuilder(base.resolve("probe/deliveries")).GET()), Map.class);
    return counts.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().longValue()));
  }

  /** How many threads the gateway's JVM has started since it started. */
  long threadsStarted() {
    return Long.parseLong(
        call(HttpRequest.newBuilder(base.resolve("probe/threads-started")).GET()).trim());
  }

  /** The schema versions Flyway recorded as applied, oldest first. */
  @SuppressWarnings("unchecked")
  List<String> schemaVersions() {
    return jsonb.fromJson(
        call(HttpRequest.newBuilder(base.resolve("probe/schema-versions")).GET()), List.class);
  }

  List<Map<String, Object>> deadLetters() {
    return list("probe/dead-letters");
  }

  /** How often the test application's {@code @ObservesAsync} observer ran, per message id. */
  @SuppressWarnings("unchecked")
  Map<String, Number> asyncRuns() {
    return jsonb.fromJson(
        call(HttpRequest.newBuilder(base.resolve("probe/async")).GET()), Map.class);
  }

  /** How often the test application's AFTER_SUCCESS observer ran, per message id. */
  @SuppressWarnings("unchecked")
  Map<String, Number> afterSuccessRuns() {
    return jsonb.fromJson(
        call(HttpRequest.newBuilder(base.resolve("probe/after-success")).GET()), Map.class);
  }

  List<String> otherApp() {
    return list("probe/other-app").stream().map(Function.identity()).map(Object::toString).toList();
  }

  /**
   * A MicroProfile Health endpoint ({@code ready} or {@code live}), which Payara serves at /health.
   */
  HttpResponse<String> health(String check) {
    try {
      return http.send(
          HttpRequest.newBuilder(base.resolve("/health/" + check)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("health " + check + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sends messages through the CDI API and returns each id with its outcome. */
  Map<String, String> send(String to, String prefix, int count, boolean receipt) {
    return send(to, prefix, count, receipt, null);
  }

  /** Sends messages through the given sender ID (null: the first configured). */
  @SuppressWarnings("unchecked")
  Map<String, String> send(String to, String prefix, int count, boolean receipt, String sender) {
    String query =
        "probe/downstream/send?to="
            + URLEncoder.encode(to, StandardCharsets.UTF_8)
            + "&prefix="
            + prefix
            + "&count="
            + count
            + "&receipt="
            + receipt
            + (sender == null ? "" : "&sender=" + sender);
    return jsonb.fromJson(
        call(HttpRequest.newBuilder(base.resolve(query)).POST(HttpRequest.BodyPublishers.noBody())),
        Map.class);
  }

  /** The gateway's status document ({@code /uplink/api/status}), read as the test admin. */
  @SuppressWarnings("unchecked")
  Map<String, Object> status() {
    return jsonb.fromJson(call(admin("api/status").GET()), Map.class);
  }

  /**
   * Posts a downstream message to the admin API ({@code POST /uplink/api/messages}) as the test
   * admin.
   *
   * @return the HTTP status code
   */
  int accept(String json) {
    try {
      return http.send(
              admin("api/messages")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .statusCode();
    } catch (IOException e) {
      throw new AssertionError("posting a message failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The {@code state} the admin API gives for a downstream message of the default sender. */
  String messageState(String messageId) {
    return String.valueOf(message(messageId).get("state"));
  }

  /** What the admin API tells about a downstream message of the default sender. */
  Map<?, ?> message(String messageId) {
    return jsonb.fromJson(call(admin("api/messages/" + messageId).GET()), Map.class);
  }

  /** Whether the admin API knows a downstream message of the default sender (200, not 404). */
  boolean messageKnown(String messageId) {
    try {
      int status =
          http.send(
                  admin("api/messages/" + messageId).GET().build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode();
      if (status != 200 && status != 404) {
        throw new AssertionError("api/messages/" + messageId + " answered " + status);
      }
      return status == 200;
    } catch (IOException e) {
      throw new AssertionError("reading " + messageId + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Makes the de-duplication record of the message a day old; returns how many it changed. */
  int backdateReceived(String messageId) {
    return Integer.parseInt(
        call(
            HttpRequest.newBuilder(base.resolve("probe/received/" + messageId + "/backdate"))
                .POST(HttpRequest.BodyPublishers.noBody())));
  }

  /** Makes the test application fail messages with {@code fail=listed} and this id, or stop. */
  void failUpstream(String messageId, boolean fail) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("probe/upstream-failures/" + messageId));
    send(fail ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.DELETE());
  }

  /**
   * Calls the admin API as the test admin.
   *
   * @param body a JSON body, or null for none
   */
  HttpResponse<String> admin(String method, String path, String body) {
    HttpRequest.Builder request = admin(path).header("Content-Type", "application/json");
    return send(
        request.method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
  }

  /** What Payara serves at {@code /metrics}, in Prometheus text form. */
  String metrics() {
    return call(HttpRequest.newBuilder(base.resolve("/metrics")).GET());
  }

  /**
   * Makes the test application's TokenInvalidated and DeliveryReceipt observers fail for the token,
   * or stop failing.
   */
  void failTokenEvents(String token, boolean fail) {
    String path =
        "probe/downstream/event-failures?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
    try {
      int status =
          http.send(
                  fail
                      ? request.POST(HttpRequest.BodyPublishers.noBody()).build()
                      : request.DELETE().build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode();
      if (status / 100 != 2) {
        throw new AssertionError(path + " answered " + status);
      }
    } catch (IOException e) {
      throw new AssertionError(path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** How many token events of the token the gateway has recorded and not yet handed over. */
  long tokenEventsWaiting(String token) {
    return Long.parseLong(
        call(
            HttpRequest.newBuilder(
                    base.resolve(
                        "probe/downstream/token-events/waiting?token="
                            + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .GET()));
  }

  /** The downstream events the test application observed. */
  List<String> downstreamEvents() {
    return list("probe/downstream/events");
  }

  /**
   * Sends {@code count} messages and a repeat of the first in one CDI {@code sendEach}; each result
   * in order.
   */
  @SuppressWarnings("unchecked")
  List<String> sendEach(String to, String prefix, int count) {
    String path =
        "probe/downstream/send-each?to="
            + URLEncoder.encode(to, StandardCharsets.UTF_8)
            + "&prefix="
            + prefix
            + "&count="
            + count;
    return jsonb.fromJson(
        call(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody())),
        List.class);
  }

  /** Locks the outbox row of the message for {@code millis}; returns once it is released. */
  void holdOutboxRow(String messageId, long millis) {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(
                    base.resolve(
                        "probe/downstream/outbox-lock?message=" + messageId + "&millis=" + millis))
                .POST(HttpRequest.BodyPublishers.noBody()));
    if (answer.statusCode() / 100 != 2) {
      throw new AssertionError("locking the row of " + messageId + ": " + answer.statusCode());
    }
  }

  /** Writes a pending outbox row of this instance past the gateway's code (its memory lacks it). */
  void writeUntrackedOutboxRow(String senderId, String messageId, String to) {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(
                    base.resolve(
                        "probe/downstream/outbox-row?sender="
                            + senderId
                            + "&message="
                            + messageId
                            + "&to="
                            + URLEncoder.encode(to, StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()));
    if (answer.statusCode() / 100 != 2) {
      throw new AssertionError("writing the row of " + messageId + ": " + answer.statusCode());
    }
  }

  /** Whether {@link #holdOutboxRow} holds the message's row now. */
  boolean outboxRowHeld(String messageId) {
    return Boolean.parseBoolean(
        send(HttpRequest.newBuilder(
                    base.resolve("probe/downstream/outbox-lock?message=" + messageId))
                .GET())
            .body());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request.build().uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private HttpRequest.Builder admin(String path) {
    String credentials = Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Basic " + credentials);
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> list(String path) {
    return jsonb.fromJson(call(HttpRequest.newBuilder(base.resolve(path)).GET()), List.class);
  }

  private String call(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(
            request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new AssertionError(request.build().uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
