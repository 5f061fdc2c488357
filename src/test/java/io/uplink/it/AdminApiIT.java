package io.uplink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.DownstreamRecord;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The admin REST API sends downstream messages and tells their state, for authenticated admins only
 * (the test realm user is created by src/test/payara/post-boot-commands.asadmin).
 */
@RunAsClient
class AdminApiIT extends GatewayIntegrationTest {

  private static final String ADMIN = "uplink-admin:it-admin-secret";
  private static final String TOKEN = "api-token-0123456789abcdef";

  private static final Jsonb JSONB = JsonbBuilder.create();

  private final HttpClient http = LoopbackHttp.client();

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator = startEmulator(Duration.ofSeconds(5));
    return GatewayDeployment.of(emulator, Map.of());
  }

  @Test
  void postedMessageIsAcceptedSentAndItsStateReadable() throws Exception {
    HttpResponse<String> posted =
        post(
            "{\"to\":\""
                + TOKEN
                + "\",\"message_id\":\"api-1\",\"data\":{\"k\":\"v\"},"
                + "\"notification\":{\"title\":\"Hello\"},\"priority\":\"high\"}",
            ADMIN);

    assertEquals(202, posted.statusCode(), posted.body());
    assertEquals("{\"message_id\":\"api-1\"}", posted.body());
    emulator.await(
        () -> get("messages/api-1", ADMIN).body().contains("\"state\":\"acked\""),
        WAIT,
        "state acked");
    String json = emulator.downstreamFor(TOKEN).get(0).json();
    assertTrue(json.contains("\"notification\":{\"title\":\"Hello\"}"), json);
    assertTrue(json.contains("\"priority\":\"high\""), json);
  }

  @Test
  void generatedIdIsReturned() throws Exception {
    HttpResponse<String> posted = post("{\"to\":\"" + TOKEN + "\"}", ADMIN);
    assertEquals(202, posted.statusCode(), posted.body());
    assertTrue(posted.body().matches("\\{\"message_id\":\"m-[0-9a-f-]{36}\"}"), posted.body());
  }

  @Test
  void badJsonAndInvalidMessagesGet400WithTheReason() throws Exception {
    HttpResponse<String> badJson = post("{\"to\":", ADMIN);
    assertEquals(400, badJson.statusCode());
    assertTrue(badJson.body().contains("not a valid message"), badJson.body());

    HttpResponse<String> reserved =
        post("{\"to\":\"" + TOKEN + "\",\"data\":{\"from\":\"x\"}}", ADMIN);
    assertEquals(400, reserved.statusCode());
    assertTrue(reserved.body().contains("reserved"), reserved.body());

    HttpResponse<String> both =
        post("{\"to\":\"" + TOKEN + "\",\"condition\":\"'a' in topics\"}", ADMIN);
    assertEquals(400, both.statusCode());

    HttpResponse<String> ttl = post("{\"to\":\"" + TOKEN + "\",\"time_to_live\":2419201}", ADMIN);
    assertEquals(400, ttl.statusCode());
    assertTrue(ttl.body().contains("time_to_live"), ttl.body());

    HttpResponse<String> wrongType = post("{\"to\":\"" + TOKEN + "\",\"dry_run\":\"yes\"}", ADMIN);
    assertEquals(400, wrongType.statusCode());
    assertTrue(wrongType.body().contains("dry_run must be true or false"), wrongType.body());
  }

  @Test
  void reusedMessageIdIsAConflict() throws Exception {
    assertEquals(
        202, post("{\"to\":\"" + TOKEN + "\",\"message_id\":\"twice\"}", ADMIN).statusCode());
    assertEquals(
        409, post("{\"to\":\"" + TOKEN + "\",\"message_id\":\"twice\"}", ADMIN).statusCode());
  }

  @Test
  void concurrentSendsShareCommitsAndOnlyTheOneWithAUsedIdIsAConflict() throws Exception {
    assertEquals(
        202, post("{\"to\":\"" + TOKEN + "\",\"message_id\":\"group-used\"}", ADMIN).statusCode());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 31; i++) {
      ids.add("group-" + i);
    }
    ids.add(15, "group-used");
    List<CompletableFuture<HttpResponse<String>>> answers =
        ids.stream()
            .map(
                id ->
                    http.sendAsync(
                        request("messages", ADMIN)
                            .header("Content-Type", "application/json")
                            .POST(
                                HttpRequest.BodyPublishers.ofString(
                                    "{\"to\":\"" + TOKEN + "\",\"message_id\":\"" + id + "\"}"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
            .toList();

    for (int i = 0; i < ids.size(); i++) {
      HttpResponse<String> answer = answers.get(i).get(30, TimeUnit.SECONDS);
      assertEquals(ids.get(i).equals("group-used") ? 409 : 202, answer.statusCode(), ids.get(i));
    }
    for (String id : ids) {
      emulator.await(
          () -> get("messages/" + id, ADMIN).body().contains("\"state\":\"acked\""),
          WAIT,
          id + " acked");
      assertEquals(1, emulator.downstreamCount(id), id + " sent once");
    }
  }

  @Test
  void unknownMessageIs404() throws Exception {
    assertEquals(404, get("messages/never-sent", ADMIN).statusCode());
  }

  @Test
  void onlyAuthenticatedAdminsMayCallTheApi() throws Exception {
    assertEquals(401, post("{\"to\":\"" + TOKEN + "\"}", null).statusCode());
    assertEquals(401, post("{\"to\":\"" + TOKEN + "\"}", "uplink-admin:wrong").statusCode());
    assertEquals(401, get("messages/api-1", null).statusCode());
  }

  /**
   * A form on another site, posted by a browser holding the admin's BASIC credentials, changes
   * nothing; the dashboard's own requests and clients outside a browser go through.
   */
  @Test
  void browsersCannotChangeAnythingFromAnotherSite() throws Exception {
    String message = "{\"to\":\"" + TOKEN + "\",\"message_id\":\"cross-site-1\"}";
    Map<String, String> crossSite =
        Map.of("Sec-Fetch-Site", "cross-site", "Origin", "http://attacker.example");
    for (Map.Entry<String, String> header : crossSite.entrySet()) {
      HttpResponse<String> refused =
          http.send(
              request("messages", ADMIN)
                  .header("Content-Type", "application/json")
                  .header(header.getKey(), header.getValue())
                  .POST(HttpRequest.BodyPublishers.ofString(message))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(403, refused.statusCode(), header + ": " + refused.body());
    }
    assertEquals(404, get("messages/cross-site-1", ADMIN).statusCode(), "nothing was accepted");

    HttpResponse<String> ownPage =
        http.send(
            request("messages", ADMIN)
                .header("Content-Type", "application/json")
                .header("Sec-Fetch-Site", "same-origin")
                .header("Origin", "http://127.0.0.1:" + deploymentUrl.getPort())
                .POST(HttpRequest.BodyPublishers.ofString(message))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, ownPage.statusCode(), ownPage.body());
  }

  @Test
  void aBatchIsAcceptedInRequestOrderAndABadMessageIsRefusedByItself() throws Exception {
    HttpResponse<String> answer =
        postBatch(
            "{\"messages\":["
                + "{\"to\":\""
                + TOKEN
                + "\",\"message_id\":\"batch-1\"},"
                + "{\"message_id\":\"batch-no-target\"},"
                + "{\"to\":\""
                + TOKEN
                + "\",\"message_id\":\"batch-1\"},"
                + "{\"to\":\""
                + TOKEN
                + "\",\"message_id\":\"batch-2\",\"time_to_live\":-1},"
                + "\"not an object\","
                + "{\"to\":\""
                + TOKEN
                + "\",\"message_id\":\"batch-3\",\"sender_id\":\"x\"},"
                + "{\"to\":\""
                + TOKEN
                + "\",\"message_id\":\"batch-4\"}]}");

    assertEquals(202, answer.statusCode(), answer.body());
    List<Map<String, Object>> results = results(answer);
    assertEquals(7, results.size(), answer.body());
    assertEquals(Map.of("index", 0, "message_id", "batch-1", "state", "pending"), results.get(0));
    assertTrue(error(results, 1).contains("exactly one of 'to' and 'condition'"), answer.body());
    assertEquals("message_id comes twice in the batch", error(results, 2));
    assertTrue(error(results, 3).contains("time_to_live"), answer.body());
    assertEquals("not a JSON object", error(results, 4));
    assertTrue(error(results, 5).contains("sender_id"), answer.body());
    assertEquals(Map.of("index", 6, "message_id", "batch-4", "state", "pending"), results.get(6));
    for (String id : List.of("batch-1", "batch-4")) {
      emulator.await(
          () -> get("messages/" + id, ADMIN).body().contains("\"state\":\"acked\""),
          WAIT,
          id + " acked");
      assertEquals(1, emulator.downstreamCount(id), id + " sent once");
    }
    for (String id : List.of("batch-no-target", "batch-2", "batch-3")) {
      assertEquals(404, get("messages/" + id, ADMIN).statusCode(), id + " never recorded");
    }

    HttpResponse<String> again =
        postBatch("{\"messages\":[{\"to\":\"" + TOKEN + "\",\"message_id\":\"batch-4\"}]}");
    assertEquals(202, again.statusCode(), again.body());
    assertTrue(error(results(again), 0).contains("already used"), again.body());
  }

  @Test
  void aMulticastSendsOneCopyWithItsOwnIdToEachToken() throws Exception {
    HttpResponse<String> answer =
        postBatch(
            "{\"message\":{\"data\":{\"k\":\"multicast\"}},"
                + "\"tokens\":[\"multicast-a-0123456789\",\"multicast-b-0123456789\",7]}");

    assertEquals(202, answer.statusCode(), answer.body());
    List<Map<String, Object>> results = results(answer);
    assertEquals("a token must be a string", error(results, 2));
    for (int i = 0; i < 2; i++) {
      String id = String.valueOf(results.get(i).get("message_id"));
      assertTrue(id.startsWith("m-"), answer.body());
      emulator.await(
          () -> get("messages/" + id, ADMIN).body().contains("\"state\":\"acked\""),
          WAIT,
          id + " acked");
    }
    for (String token : List.of("multicast-a-0123456789", "multicast-b-0123456789")) {
      List<DownstreamRecord> sent = emulator.downstreamFor(token);
      assertEquals(1, sent.size(), token);
      assertTrue(sent.get(0).json().contains("\"k\":\"multicast\""), sent.get(0).json());
    }
  }

  @Test
  void aBatchOverTheLimitOrOfNeitherShapeIsRefusedWhole() throws Exception {
    String message = "{\"to\":\"" + TOKEN + "\"}";
    HttpResponse<String> tooMany =
        postBatch("{\"messages\":[" + String.join(",", Collections.nCopies(501, message)) + "]}");
    assertEquals(413, tooMany.statusCode(), tooMany.body());
    assertTrue(tooMany.body().contains("at most 500"), tooMany.body());

    assertEquals(400, postBatch("{\"messages\":[]}").statusCode());
    HttpResponse<String> both = postBatch("{\"messages\":[" + message + "],\"tokens\":[\"t\"]}");
    assertEquals(400, both.statusCode(), both.body());
    HttpResponse<String> ownTarget =
        postBatch("{\"message\":" + message + ",\"tokens\":[\"t-0123456789\"]}");
    assertEquals(400, ownTarget.statusCode(), ownTarget.body());
    assertEquals(400, postBatch("[1]").statusCode());
    assertEquals(400, postBatch("{\"messages\":").statusCode());
  }

  private HttpResponse<String> postBatch(String body) throws Exception {
    return http.send(
        request("messages/batch", ADMIN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> results(HttpResponse<String> answer) {
    Map<String, Object> body = JSONB.fromJson(answer.body(), Map.class);
    List<Map<String, Object>> results = (List<Map<String, Object>>) body.get("results");
    return results.stream()
        .map(
            r -> {
              Map<String, Object> copy = new LinkedHashMap<>(r);
              copy.computeIfPresent("index", (k, v) -> ((Number) v).intValue());
              return copy;
            })
        .toList();
  }

  private static String error(List<Map<String, Object>> results, int index) {
    assertEquals(index, results.get(index).get("index"));
    return String.valueOf(results.get(index).get("error"));
  }

  private HttpResponse<String> post(String body, String credentials) throws Exception {
    HttpRequest.Builder request =
        request("messages", credentials)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String credentials) {
    try {
      return http.send(
          request(path, credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private HttpRequest.Builder request(String path, String credentials) {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + deploymentUrl.getPort()
                + deploymentUrl.getPath()
                + "api/"
                + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (credentials != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }
}
