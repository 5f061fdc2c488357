package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import io.uplink.emulator.Upstream;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The example application of the README's tutorial, built by the invoker as a team would build it
 * (a WAR overlay of Uplink, src/test/push-example), end to end against the emulator: devices
 * register their tokens upstream, a comment notifies the user's devices, FCM's canonical IDs and
 * unregistered devices correct the stored tokens.
 */
@RunAsClient
class PushExampleIT extends GatewayIntegrationTest {

  private static final String CATEGORY = "com.example.push";
  private static final String BOB_PHONE = "bob-phone-0123456789abcdef";
  private static final String ALICE_OLD = "alice-phone-old-0123456789abcdef";
  private static final String ALICE_CANONICAL = "alice-phone-new-0123456789abcdef";
  private static final String ALICE_UNINSTALLED = "alice-tablet-0123456789abcdef";

  private final HttpClient http = LoopbackHttp.client();
  private final Jsonb jsonb = JsonbBuilder.create();

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, GatewayDeployment.SERVER_KEY)
            .redeliveryDelay(Duration.ofMinutes(5))
            .canonicalToken(ALICE_OLD, ALICE_CANONICAL)
            .unregisterToken(ALICE_UNINSTALLED)
            .build()
            .start();
    return GatewayDeployment.pointedAt(
        new File("target/it/push-example/target/push-example.war"), emulator, Map.of());
  }

  @Test
  void registrationMessageStoresTheDeviceTokenForItsUser() {
    register("carol", "carol-phone-0123456789abcdef");

    assertEquals(List.of("carol-phone-0123456789abcdef"), tokensOf("carol"));
  }

  @Test
  void commentNotifiesEveryDeviceOfTheUser() throws Exception {
    register("bob", BOB_PHONE);

    HttpResponse<String> posted = comment("bob", "Alice", "Nice photo!");

    assertEquals(202, posted.statusCode(), posted.body());
    emulator.await(
        () -> acked(BOB_PHONE) == 1, WAIT, "the notification to bob's phone acked by CCS");
    DownstreamRecord sent = emulator.downstreamFor(BOB_PHONE).get(0);
    assertTrue(sent.toString().contains("Alice commented"), sent.toString());
  }

  @Test
  void canonicalIdReplacesATokenAndAnUnregisteredDeviceIsForgotten() throws Exception {
    register("alice", ALICE_OLD);
    register("alice", ALICE_UNINSTALLED);
    assertEquals(List.of(ALICE_OLD, ALICE_UNINSTALLED), tokensOf("alice"));

    assertEquals(202, comment("alice", "Bob", "See you at 8").statusCode());

    emulator.await(
        () -> tokensOf("alice").equals(List.of(ALICE_CANONICAL)),
        WAIT,
        "alice's tokens corrected from CCS's answers");
  }

  private void register(String user, String token) {
    Upstream registration =
        new Upstream(
            token,
            CATEGORY,
            "register-" + System.nanoTime(),
            Map.of("action", "register", "user", user));
    emulator.inject(SENDER_ID, registration);
    emulator.await(
        () -> !emulator.validAcksFor(registration.messageId()).isEmpty(),
        WAIT,
        "the registration acked");
  }

  private HttpResponse<String> comment(String user, String author, String text) throws Exception {
    String body = jsonb.toJson(Map.of("user", user, "author", author, "text", text));
    return http.send(
        HttpRequest.newBuilder(app("comments"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private List<String> tokensOf(String user) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(app("users/" + user + "/tokens")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return jsonb.fromJson(response.body(), List.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long acked(String token) {
    return emulator.downstreamFor(token).stream()
        .filter(r -> r.outcome() == DownstreamRecord.Outcome.ACKED)
        .count();
  }

  private URI app(String path) {
    return URI.create(
        "http://127.0.0.1:" + deploymentUrl.getPort() + deploymentUrl.getPath() + "app/" + path);
  }
}
