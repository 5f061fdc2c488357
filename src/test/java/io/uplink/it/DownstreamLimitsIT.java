package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sends at the limits: a rate-limited device is slowed down, a send that finds no room in any
 * window in time fails clearly, and a bad token fails at once.
 */
@RunAsClient
class DownstreamLimitsIT extends GatewayIntegrationTest {

  private static final String BAD_TOKEN = "bad-token-0123456789abcdef";

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, GatewayDeployment.SERVER_KEY)
            .redeliveryDelay(Duration.ofSeconds(5))
            .deviceMessageRateLimit(3, Duration.ofSeconds(1))
            .invalidToken(BAD_TOKEN)
            .build()
            .start();
    return GatewayDeployment.of(
        emulator,
        Map.of(
            "uplink.downstream.retry-initial", "PT0.1S",
            "uplink.downstream.send-timeout", "PT2S"));
  }

  @AfterEach
  void answerAgain() {
    emulator.releaseAnswers();
  }

  @Test
  void rateLimitedDeviceIsSlowedDownAndStillGetsEveryMessage() throws Exception {
    String token = "busy-token-0123456789abcdef";

    Map<String, String> outcomes = probe.send(token, "busy", 8, false);

    assertTrue(outcomes.values().stream().allMatch("ACKED"::equals), outcomes::toString);
    List<DownstreamRecord> sent = emulator.downstreamFor(token);
    assertTrue(
        sent.stream().anyMatch(r -> r.detail().equals("DEVICE_MESSAGE_RATE_EXCEEDED")),
        "CCS had to refuse some: " + sent);
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      assertTrue(jmx.downstream("Retried") > 0);
    }
  }

  @Test
  void sendThatFindsNoRoomInTimeEndsTheWaitButIsStillSentOnce() throws Exception {
    GatewayJmx jmx = GatewayJmx.connect();
    long failedBefore = jmx.downstream("Failed");
    long timeoutsBefore = jmx.downstream("SendTimeouts");
    emulator.holdAnswers();
    CompletableFuture<Map<String, String>> sending =
        CompletableFuture.supplyAsync(() -> probe.send("crowd-{n}", "crowd", 230, false));
    emulator.await(
        () ->
            emulator.downstream().stream().filter(r -> r.messageId().startsWith("crowd-")).count()
                == 200,
        WAIT,
        "both windows full");
    emulator.await(
        () -> jmx.downstreamTotal("SendTimeouts") - timeoutsBefore == 30,
        WAIT,
        "the 30 left over waited longer than the send timeout");
    emulator.releaseAnswers();
    Map<String, String> outcomes = sending.get(60, TimeUnit.SECONDS);

    long timedOut = outcomes.values().stream().filter("TIMED_OUT SEND_TIMEOUT"::equals).count();
    assertEquals(30, timedOut, outcomes::toString);
    emulator.await(
        () -> outcomes.keySet().stream().allMatch(id -> probe.messageState(id).equals("acked")),
        WAIT,
        "all 230 acked, the 30 that waited too long included");
    outcomes.keySet().forEach(id -> assertEquals(1, emulator.downstreamCount(id), id));
    assertEquals(failedBefore, jmx.downstream("Failed"), "a wait that ran out fails nothing");
    jmx.close();
  }

  @Test
  void badRegistrationFailsTheSendAndTellsTheApplication() throws Exception {
    assertEquals(
        Map.of("bad-0", "NACKED BAD_REGISTRATION"), probe.send(BAD_TOKEN, "bad", 1, false));
    assertEquals(1, emulator.downstreamFor(BAD_TOKEN).size(), "not retried");
    emulator.await(
        () -> probe.downstreamEvents().contains("invalidated " + BAD_TOKEN + " BAD_REGISTRATION"),
        WAIT,
        "TokenInvalidated event");
    assertTrue(
        PrometheusText.parse(probe.metrics())
                .sum(
                    "uplink_downstream_nacked_total",
                    Map.of("sender", SENDER_ID, "code", "BAD_REGISTRATION"))
            >= 1);
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      assertTrue(jmx.downstreamNackedByCode("BAD_REGISTRATION") >= 1);
    }
  }
}
