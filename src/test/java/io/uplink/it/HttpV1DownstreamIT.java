package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.FcmFault;
import io.uplink.emulator.FcmHttpEmulator;
import io.uplink.emulator.HttpV1Record;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default sender receives upstream over XMPP and sends downstream through FCM's HTTP v1 API
 * (the emulator's, over real TLS, with access tokens from a service account's signed assertions); a
 * second sender sends only, with no connection at all. Every answer FCM documents ends the send as
 * the outbox's policy says: accepted with FCM's name, token invalidated, retried no sooner than
 * {@code Retry-After}, failed with FCM's text, or sent again with a new access token.
 */
@RunAsClient
class HttpV1DownstreamIT extends GatewayIntegrationTest {

  private static final String PUSH_SENDER = "5550001";
  private static final String TOKEN = "http-v1-token-0123456789abcdef";
  private static final int MAX_IN_FLIGHT = 4;

  private static FcmHttpEmulator fcm;

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator = startEmulator(Duration.ofSeconds(5));
    fcm = FcmHttpEmulator.start("uplink-it", Path.of("target", "fcm-http-v1-it").toAbsolutePath());
    Map<String, String> settings = new HashMap<>(fcm.gatewaySettings("uplink.ccs."));
    settings.putAll(fcm.gatewaySettings("uplink.ccs.push."));
    settings.put("uplink.ccs.http-v1.max-in-flight", String.valueOf(MAX_IN_FLIGHT));
    settings.put("uplink.ccs.senders", "push");
    settings.put("uplink.ccs.push.sender-id", PUSH_SENDER);
    settings.put("uplink.ccs.push.connections", "0");
    settings.put("uplink.downstream.retry-initial", "PT0.2S");
    return GatewayDeployment.of(emulator, settings);
  }

  @AfterAll
  static void stopFcm() {
    fcm.close();
  }

  @AfterEach
  void answerAtOnce() {
    fcm.answerDelay(Duration.ZERO);
  }

  @Test
  void acceptedMessagesAreAckedWithFcmsNameAndNeverTouchXmpp() {
    Map<String, String> outcomes = probe.send(TOKEN, "v1-ok", 3, false);

    assertEquals(Map.of("v1-ok-0", "ACKED", "v1-ok-1", "ACKED", "v1-ok-2", "ACKED"), outcomes);
    List<HttpV1Record> accepted = fcm.acceptedFor(TOKEN);
    HttpV1Record last = accepted.get(accepted.size() - 1);
    assertEquals(TOKEN, last.request().getJsonObject("message").getString("token"));
    assertTrue(last.request().getJsonObject("message").containsKey("data"), last::toString);
    List<String> names =
        outcomes.keySet().stream()
            .map(id -> String.valueOf(probe.message(id).get("fcm_name")))
            .toList();
    assertEquals(3, names.stream().distinct().count(), names::toString);
    for (String name : names) {
      assertTrue(
          accepted.stream().anyMatch(r -> r.name().equals(name)), name + " is the name FCM gave");
      assertTrue(name.startsWith("projects/uplink-it/messages/"), name);
    }
    assertTrue(emulator.downstream().isEmpty(), "nothing went over XMPP");
  }

  /**
   * The JDK client's {@code sendAsync} hands each answer to {@code CompletableFuture}'s default
   * pool, which on a machine with fewer than three cores (CI's, this project's) starts a thread per
   * task: the channel must not pay a thread per request. A first round lets the pools grow to their
   * size.
   */
  @Test
  void requestsReuseTheirThreads() {
    probe.send(TOKEN, "v1-threads-first", 200, false);
    long before = probe.threadsStarted();

    Map<String, String> outcomes = probe.send(TOKEN, "v1-threads", 200, false);

    long started = probe.threadsStarted() - before;
    assertEquals(
        200, outcomes.values().stream().filter("ACKED"::equals).count(), outcomes::toString);
    assertTrue(started < 50, started + " threads started for 200 requests");
  }

  @Test
  void deadTokensFailTheSendAndAreInvalidated() {
    fcm.unregisterToken("v1-gone-token-0123456789");
    fcm.invalidToken("v1-bad-token-0123456789");

    Map<String, String> gone = probe.send("v1-gone-token-0123456789", "v1-gone", 1, false);
    Map<String, String> bad = probe.send("v1-bad-token-0123456789", "v1-bad", 1, false);

    assertEquals("NACKED UNREGISTERED: Requested entity was not found.", gone.get("v1-gone-0"));
    assertEquals(
        "NACKED INVALID_ARGUMENT: The registration token is not a valid FCM registration token",
        bad.get("v1-bad-0"));
    emulator.await(
        () ->
            probe
                .downstreamEvents()
                .containsAll(
                    List.of(
                        "invalidated v1-gone-token-0123456789 UNREGISTERED",
                        "invalidated v1-bad-token-0123456789 INVALID_ARGUMENT")),
        WAIT,
        "both tokens invalidated: " + probe.downstreamEvents());
  }

  @Test
  void permanentRefusalsFailWithFcmsTextAndLeaveTheTokenAlone() {
    fcm.senderIdMismatch("v1-other-sender-0123456789");
    fcm.thirdPartyAuthError("v1-apns-0123456789");

    assertEquals(
        "NACKED SENDER_ID_MISMATCH: SenderId mismatch",
        probe.send("v1-other-sender-0123456789", "v1-mismatch", 1, false).get("v1-mismatch-0"));
    assertEquals(
        "NACKED THIRD_PARTY_AUTH_ERROR: Auth error from APNS or Web Push Service",
        probe.send("v1-apns-0123456789", "v1-apns", 1, false).get("v1-apns-0"));
    fcm.failNext(FcmFault.invalidArgument("Message is too big"), 1);
    assertEquals(
        "NACKED INVALID_ARGUMENT: Message is too big",
        probe.send(TOKEN, "v1-big", 1, false).get("v1-big-0"));
    assertTrue(
        probe.downstreamEvents().stream()
            .noneMatch(e -> e.contains("v1-other-sender") || e.contains("v1-apns")),
        "no token invalidated by a permanent refusal");
  }

  @Test
  void overloadAndServerErrorsPauseTheSenderNoShorterThanRetryAfter() {
    fcm.failNext(FcmFault.quotaExceeded(Duration.ofSeconds(4)), 1);
    assertEquals(
        Map.of("v1-quota-0", "ACKED"),
        probe.send("v1-quota-token-0123456789", "v1-quota", 1, false));
    List<HttpV1Record> quota = answeredFor("v1-quota-token-0123456789");
    assertEquals(List.of(429, 200), quota.stream().map(HttpV1Record::status).toList());
    assertEquals("QUOTA_EXCEEDED", quota.get(0).code());
    // The sender's first pause alone would be 0.2 to 0.3 s (retry-initial 0.2 s).
    assertWaitedAtLeast(Duration.ofMillis(3900), quota);

    fcm.failNext(FcmFault.unavailable(Duration.ofSeconds(3)), 1);
    fcm.failNext(FcmFault.internal(), 1);
    fcm.failNext(FcmFault.badGateway(), 1);
    assertEquals(
        Map.of("v1-5xx-0", "ACKED"), probe.send("v1-5xx-token-0123456789", "v1-5xx", 1, false));
    List<HttpV1Record> errors = answeredFor("v1-5xx-token-0123456789");
    assertEquals(List.of(503, 500, 502, 200), errors.stream().map(HttpV1Record::status).toList());
    // A first pause's backoff would be 0.2 to 0.3 s.
    assertWaitedAtLeast(Duration.ofMillis(2900), errors);
  }

  private static void assertWaitedAtLeast(Duration least, List<HttpV1Record> answers) {
    Duration waited = Duration.between(answers.get(0).at(), answers.get(1).at());
    assertTrue(waited.compareTo(least) >= 0, "Retry-After honoured: waited " + waited);
  }

  @Test
  void aRefusedAccessTokenIsReplacedAndTheMessageSentAgain() {
    probe.send(TOKEN, "v1-warm", 1, false);
    int grants = fcm.tokenGrants();
    fcm.revokeAccessTokens();

    assertEquals(
        Map.of("v1-reauth-0", "ACKED"),
        probe.send("v1-reauth-token-0123456789", "v1-reauth", 1, false));

    assertEquals(grants + 1, fcm.tokenGrants(), "one new access token");
    assertEquals(
        List.of("UNAUTHENTICATED", ""),
        answeredFor("v1-reauth-token-0123456789").stream().map(HttpV1Record::code).toList());
  }

  @Test
  void requestsInFlightStayWithinTheBoundShownInJmx() throws Exception {
    fcm.answerDelay(Duration.ofMillis(300));

    Map<String, String> outcomes = probe.send("v1-bound-{n}-0123456789", "v1-bound", 24, false);

    assertTrue(outcomes.values().stream().allMatch("ACKED"::equals), outcomes::toString);
    assertEquals(MAX_IN_FLIGHT, fcm.maxInFlight(), "the bound is used and never exceeded");
    assertEquals(Set.of("HTTP/2.0"), fcm.protocols(), "HTTP/2, as with FCM");
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      String sender = "uplink:type=Sender,id=" + SENDER_ID;
      assertEquals("http-v1", jmx.attribute(sender, "DownstreamTransport"));
      assertEquals(MAX_IN_FLIGHT, jmx.attribute(sender, "HttpV1MaxInFlight"));
      assertEquals(0, jmx.attribute(sender, "HttpV1InFlight"));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> status = ((List<Map<String, Object>>) probe.status().get("senders")).get(0);
    assertEquals("http-v1", status.get("downstream"));
    assertEquals(MAX_IN_FLIGHT, ((Number) status.get("httpV1MaxInFlight")).intValue());
    PrometheusText metrics = PrometheusText.parse(probe.metrics());
    assertEquals("gauge", metrics.type("uplink_http_v1_in_flight"), metrics.page());
    assertEquals(0.0, metrics.sum("uplink_http_v1_in_flight", Map.of("sender", SENDER_ID)));
  }

  @Test
  void aRequestLeftUnansweredIsSentAgain() {
    fcm.failNext(FcmFault.noAnswer(), 2);

    assertEquals(
        Map.of("v1-lost-0", "ACKED"), probe.send("v1-lost-token-0123456789", "v1-lost", 1, false));

    assertEquals(
        List.of(0, 0, 200),
        answeredFor("v1-lost-token-0123456789").stream().map(HttpV1Record::status).toList(),
        "two connections closed unanswered, then accepted");
  }

  @Test
  void whatV1CannotCarryIsRefusedAtSendTime() {
    String outcome = probe.send(TOKEN, "v1-receipt", 1, true).get("v1-receipt-0");

    assertTrue(outcome.startsWith("REFUSED delivery_receipt_requested"), outcome);
  }

  @Test
  void aSendOnlySenderSendsWithoutAnyConnection() {
    Map<String, String> outcomes =
        probe.send("v1-push-token-0123456789", "v1-push", 2, false, PUSH_SENDER);

    assertEquals(Map.of("v1-push-0", "ACKED", "v1-push-1", "ACKED"), outcomes);
    assertTrue(emulator.openConnections(PUSH_SENDER).isEmpty(), "no XMPP connection");
    assertEquals(200, probe.health("ready").statusCode(), "ready without connections to wait for");
  }

  private static List<HttpV1Record> answeredFor(String target) {
    return fcm.answered().stream().filter(r -> target.equals(r.target())).toList();
  }
}
