package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import io.uplink.emulator.DownstreamReply;
import io.uplink.emulator.FcmFault;
import io.uplink.emulator.FcmHttpEmulator;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Outages that answer every send with an error: CCS nacks {@code SERVICE_UNAVAILABLE} and FCM
 * answers {@code 503 UNAVAILABLE} at once, then a service account is disabled. Each pauses its
 * sender (not ready, the reason in health and JMX) instead of spending the messages' retries, so
 * every message accepted meanwhile is sent and accepted exactly once afterwards. The messages may
 * be retried twice only, so a retry spent per refusal would have failed them in seconds. A sender
 * whose backlog reaches {@code uplink.downstream.max-pending} refuses further sends with 429 and
 * keeps what it accepted. Memory holds a window of four messages per sender: what a paused sender
 * accepts beyond it waits in the outbox alone and is paged in afterwards, and a pending row of the
 * instance that memory never held is found by the outbox's rescan. The suite lets each outage last
 * {@code uplink.it.outage-seconds} (30); the benchmark profile runs three minutes, as the issue
 * tried it.
 */
@RunAsClient
class AnsweredOutageIT extends GatewayIntegrationTest {

  private static final String PUSH_SENDER = "5550021";
  private static final Duration OUTAGE =
      Duration.ofSeconds(Integer.getInteger("uplink.it.outage-seconds", 30));
  private static final int MESSAGES = 10;
  private static final int MEMORY_WINDOW = 4;

  /** Messages accepted once a sender is paused: beyond memory's window. */
  private static final int MORE = 3;

  private static final int MAX_PENDING = MESSAGES + MORE + 1;
  private static final Jsonb JSONB = JsonbBuilder.create();

  /** Until when CCS nacks every downstream message {@code SERVICE_UNAVAILABLE}. */
  private static volatile Instant ccsUnavailableUntil = Instant.MIN;

  private static FcmHttpEmulator fcm;

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, GatewayDeployment.SERVER_KEY)
            .redeliveryDelay(Duration.ofSeconds(5))
            .downstreamPolicy(
                message ->
                    Instant.now().isBefore(ccsUnavailableUntil)
                        ? DownstreamReply.nack(
                            "SERVICE_UNAVAILABLE",
                            "CCS is not currently able to process the message")
                        : DownstreamReply.ack())
            .build()
            .start();
    fcm =
        FcmHttpEmulator.start(
            "uplink-outage-it", Path.of("target", "fcm-outage-it").toAbsolutePath());
    Map<String, String> settings = new HashMap<>(fcm.gatewaySettings("uplink.ccs.push."));
    settings.put("uplink.ccs.senders", "push");
    settings.put("uplink.ccs.push.sender-id", PUSH_SENDER);
    settings.put("uplink.ccs.push.connections", "0");
    settings.put("uplink.downstream.max-retries", "2");
    settings.put("uplink.downstream.retry-max", "PT5S");
    settings.put("uplink.downstream.send-timeout", "PT2S");
    settings.put("uplink.downstream.max-pending", String.valueOf(MAX_PENDING));
    settings.put("uplink.downstream.memory-window", String.valueOf(MEMORY_WINDOW));
    settings.put("uplink.downstream.rescan-interval", "PT2S");
    return GatewayDeployment.of(emulator, settings);
  }

  @AfterAll
  static void stopFcm() {
    fcm.close();
  }

  @Test
  void ccsAndFcmUnavailablePauseTheirSendersAndEveryMessageGoesOnceAfterwards() throws Exception {
    long retriedBefore;
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      retriedBefore = jmx.downstreamTotal("Retried");
    }
    ccsUnavailableUntil = Instant.now().plus(OUTAGE);
    fcm.failEverySendFor(FcmFault.unavailable(Duration.ofSeconds(2)), OUTAGE);

    List<String> overCcs = new ArrayList<>(accept(SENDER_ID, "ccs-outage", MESSAGES));
    List<String> overFcm = new ArrayList<>(accept(PUSH_SENDER, "fcm-outage", MESSAGES));

    emulator.await(() -> paused(SENDER_ID) && paused(PUSH_SENDER), WAIT, "both senders pause");
    HttpResponse<String> ready = probe.health("ready");
    assertEquals(503, ready.statusCode(), ready.body());
    assertTrue(ready.body().contains("paused: SERVICE_UNAVAILABLE"), ready.body());
    assertTrue(ready.body().contains("paused: UNAVAILABLE"), ready.body());
    assertTrue(
        overCcs.stream().allMatch(id -> "pending".equals(state(SENDER_ID, id))),
        "accepted messages wait in the outbox");
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      for (String senderId : List.of(SENDER_ID, PUSH_SENDER)) {
        String sender = "uplink:type=Sender,id=" + senderId;
        Object inMemory = jmx.attribute(sender, "DownstreamInMemory");
        List<String> more = accept(senderId, "more-" + senderId, MORE);
        (senderId.equals(SENDER_ID) ? overCcs : overFcm).addAll(more);
        assertEquals(
            inMemory,
            jmx.attribute(sender, "DownstreamInMemory"),
            senderId + ": memory holds the window already; more messages wait in the outbox");
        long backlog = (Long) jmx.attribute(sender, "DownstreamBacklog");
        assertTrue(backlog >= MESSAGES + MORE, senderId + " backlog " + backlog);
      }
    }

    awaitAcked(SENDER_ID, overCcs, OUTAGE.plus(WAIT));
    awaitAcked(PUSH_SENDER, overFcm, OUTAGE.plus(WAIT));
    for (String id : overCcs) {
      assertEquals(1, ccsAcks(id), id + " acked by CCS once");
    }
    for (String id : overFcm) {
      assertEquals(1, fcm.acceptedFor(token(id)).size(), id + " accepted by FCM once");
    }
    assertTrue(
        emulator.downstream().stream()
                .filter(r -> r.outcome() == DownstreamRecord.Outcome.NACKED)
                .count()
            < 4L * OUTAGE.toSeconds(),
        "a paused sender sends one probe at a time, not every message over and over");
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      assertEquals(retriedBefore, jmx.downstreamTotal("Retried"), "no retry was spent");
      assertTrue(jmx.downstreamTotal("SenderPauses") >= 2);
      assertEquals(
          "", jmx.attribute("uplink:type=Sender,id=" + PUSH_SENDER, "PauseReason"), "served");
    }
    emulator.await(() -> probe.health("ready").statusCode() == 200, WAIT, "ready again");
  }

  @Test
  void aDisabledServiceAccountPausesItsSenderUntilItWorksAgain() throws Exception {
    probe.accept(message(PUSH_SENDER, "before-disabling", 0));
    fcm.serviceAccountDisabled(true);
    try {
      List<String> ids = accept(PUSH_SENDER, "disabled-account", MESSAGES);
      emulator.await(() -> paused(PUSH_SENDER), WAIT, "the sender pauses");
      String reason;
      try (GatewayJmx jmx = GatewayJmx.connect()) {
        reason = (String) jmx.attribute("uplink:type=Sender,id=" + PUSH_SENDER, "PauseReason");
      }
      assertTrue(reason.contains("access token") || reason.contains("UNAUTHENTICATED"), reason);
      assertTrue(!reason.contains("BEGIN PRIVATE KEY"), "no key in the reason");
      Thread.sleep(OUTAGE.toMillis());
      assertTrue(
          ids.stream().allMatch(id -> "pending".equals(state(PUSH_SENDER, id))),
          "nothing failed while the account was disabled");
      fcm.serviceAccountDisabled(false);

      awaitAcked(PUSH_SENDER, ids, WAIT);
      for (String id : ids) {
        assertEquals(1, fcm.acceptedFor(token(id)).size(), id + " accepted by FCM once");
      }
    } finally {
      fcm.serviceAccountDisabled(false);
    }
  }

  @Test
  void aFullBacklogRefusesNewSendsWith429AndKeepsWhatItAccepted() throws Exception {
    ccsUnavailableUntil = Instant.now().plus(Duration.ofMinutes(5));
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long refusalsBefore = jmx.downstreamTotal("BacklogRefusals");
      List<String> accepted =
          IntStream.range(0, MAX_PENDING)
              .mapToObj(
                  i -> {
                    assertEquals(202, probe.accept(message(SENDER_ID, "backlog", i)));
                    return "backlog-" + i;
                  })
              .toList();

      HttpResponse<String> refused =
          probe.admin("POST", "api/messages", message(SENDER_ID, "backlog", MAX_PENDING));
      assertEquals(429, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("uplink.downstream.max-pending"), refused.body());
      long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
      HttpResponse<String> batch =
          probe.admin(
              "POST",
              "api/messages/batch",
              "{\"messages\":[{\"to\":\"" + token("backlog-batch") + "\"}]}");
      assertEquals(429, batch.statusCode(), batch.body());
      assertEquals(refusalsBefore + 2, jmx.downstreamTotal("BacklogRefusals"));
      assertEquals(
          404, probe.admin("GET", "api/messages/backlog-" + MAX_PENDING, null).statusCode());

      ccsUnavailableUntil = Instant.now();
      awaitAcked(SENDER_ID, accepted, WAIT);
      for (String id : accepted) {
        assertEquals(1, ccsAcks(id), id + " acked by CCS once");
      }
      emulator.await(
          () -> probe.accept(message(SENDER_ID, "backlog-after", 0)) == 202,
          WAIT,
          "sends accepted again once the backlog drained");
    }
  }

  @Test
  void aPendingRowMemoryLostTrackOfIsSentWithoutARestart() {
    String id = "untracked-row";
    probe.writeUntrackedOutboxRow(SENDER_ID, id, token(id));

    awaitAcked(SENDER_ID, List.of(id), WAIT);
    assertEquals(1, ccsAcks(id), "acked by CCS once");
  }

  /** Accepts messages for the sender through the admin API; their ids. */
  private List<String> accept(String senderId, String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i -> {
              String id = prefix + "-" + i;
              assertEquals(202, probe.accept(message(senderId, prefix, i)), id);
              return id;
            })
        .toList();
  }

  private static String message(String senderId, String prefix, int i) {
    String id = prefix + "-" + i;
    return "{\"sender_id\":\""
        + senderId
        + "\",\"to\":\""
        + token(id)
        + "\",\"message_id\":\""
        + id
        + "\",\"data\":{\"id\":\""
        + id
        + "\"}}";
  }

  private static String token(String messageId) {
    return "outage-token-" + messageId + "-0123456789";
  }

  private void awaitAcked(String senderId, List<String> ids, Duration within) {
    emulator.await(
        () -> ids.stream().allMatch(id -> "acked".equals(state(senderId, id))),
        within,
        "every message of sender " + senderId + " acked");
  }

  private String state(String senderId, String messageId) {
    HttpResponse<String> answer =
        probe.admin("GET", "api/messages/" + messageId + "?sender_id=" + senderId, null);
    assertEquals(200, answer.statusCode(), answer.body());
    return String.valueOf(JSONB.fromJson(answer.body(), Map.class).get("state"));
  }

  private static boolean paused(String senderId) {
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      return !"".equals(jmx.attribute("uplink:type=Sender,id=" + senderId, "PauseReason"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long ccsAcks(String messageId) {
    return emulator.downstream().stream()
        .filter(r -> messageId.equals(r.messageId()))
        .filter(r -> r.outcome() == DownstreamRecord.Outcome.ACKED)
        .count();
  }
}
