package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.DownstreamRecord;
import io.uplink.emulator.Upstream;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ObjectName;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * An observer that throws rolls its work back and leaves the message unacked, so CCS redelivers it;
 * a message that keeps failing ends in the dead-letter table and is acked.
 */
@RunAsClient
class ObserverFailureIT extends GatewayIntegrationTest {

  private static final Jsonb JSONB = JsonbBuilder.create();

  private static final ObjectName UPSTREAM = GatewayJmx.name("uplink:type=Upstream");

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator = startEmulator(Duration.ofMillis(700));
    return GatewayDeployment.of(emulator, Map.of("uplink.upstream.max-attempts", "3"));
  }

  @Test
  void throwingObserverLeadsToRedeliveryAndExactlyOneSuccessfulDelivery() throws Exception {
    long failuresBefore;
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      failuresBefore = jmx.upstream("ObserverFailures");
    }
    emulator.inject(
        SENDER_ID, new Upstream("flaky-device", APP, "flaky-1", Map.of("fail", "once")));

    emulator.awaitAllAcked(WAIT);

    assertEquals(
        1L, probe.deliveriesPerMessageId().get("flaky-1"), "the failed attempt's row rolled back");
    assertEquals(1, emulator.validAcksFor("flaky-1").size(), "acked once, after the success");
    long deliveriesOnTheWire =
        emulator.stanzas().stream()
            .filter(s -> s.direction() == io.uplink.emulator.WireStanza.Direction.OUTBOUND)
            .filter(s -> s.xml().contains("flaky-1"))
            .count();
    assertTrue(deliveriesOnTheWire >= 2, "CCS had to redeliver: " + deliveriesOnTheWire);
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      assertEquals(failuresBefore + 1, jmx.upstream("ObserverFailures"), "the one failed attempt");
    }
  }

  @Test
  void poisonMessageEndsInTheDeadLetterTableAndIsAcked() throws Exception {
    emulator.inject(
        SENDER_ID, new Upstream("poison-device", APP, "poison-1", Map.of("fail", "always")));

    emulator.awaitAllAcked(WAIT);

    assertNull(probe.deliveriesPerMessageId().get("poison-1"), "no attempt committed");
    List<Map<String, Object>> deadLetters = deadLetters("poison-1");
    assertEquals(1, deadLetters.size(), deadLetters::toString);
    Map<String, Object> letter = deadLetters.get(0);
    assertEquals(3, ((Number) letter.get("attempts")).intValue());
    assertTrue(((String) letter.get("lastError")).contains("observer failure requested"));

    emulator.redeliver(
        SENDER_ID, "poison-device", "poison-1", emulator.openConnections(SENDER_ID).get(0));
    emulator.await(
        () -> emulator.validAcksFor("poison-1").size() == 2, WAIT, "ack of the redelivery");
    assertEquals(1, deadLetters("poison-1").size(), "a parked message is not parked twice");
  }

  /**
   * The dead-letter admin API: a poison message is listed (token abbreviated) and shown; a replay
   * while the observer still fails answers 409, counts the attempt and keeps the dead letter; once
   * the observer works, a replay delivers it once through the normal path and removes it; a
   * selection replays each id on its own; a dead letter can be deleted.
   */
  @Test
  @SuppressWarnings("unchecked")
  void anOperatorListsReplaysAndDeletesDeadLetters() {
    String device = "dead-letter-ops-device-0123456789abcdef";
    probe.failUpstream("ops-1", true);
    List<Upstream> poison =
        List.of(
            new Upstream(device, APP, "ops-1", Map.of("fail", "listed")),
            new Upstream(device, APP, "ops-2", Map.of("fail", "always")));
    poison.forEach(message -> emulator.inject(SENDER_ID, message));
    awaitAcked(poison);

    Map<String, Object> page = json(probe.admin("GET", "api/dead-letters?size=500", null), 200);
    Map<String, Map<String, Object>> listed = new HashMap<>();
    for (Object row : (List<?>) page.get("dead_letters")) {
      Map<String, Object> letter = (Map<String, Object>) row;
      if (device.startsWith(String.valueOf(letter.get("from")).split("…")[0])
          && List.of("ops-1", "ops-2").contains(letter.get("messageId"))) {
        listed.put((String) letter.get("messageId"), letter);
      }
    }
    assertEquals(Set.of("ops-1", "ops-2"), listed.keySet(), "both listed: " + page);
    Map<String, Object> first = listed.get("ops-1");
    assertTrue(String.valueOf(first.get("from")).contains("…"), "token abbreviated: " + first);
    long firstId = ((Number) first.get("id")).longValue();
    long secondId = ((Number) listed.get("ops-2").get("id")).longValue();
    List<Long> ids =
        ((List<Map<String, Object>>) page.get("dead_letters"))
            .stream().map(letter -> ((Number) letter.get("id")).longValue()).toList();
    assertEquals(ids.stream().sorted(Comparator.reverseOrder()).toList(), ids, "newest first");
    assertEquals(
        Map.of("fail", "listed"),
        json(probe.admin("GET", "api/dead-letters/" + firstId, null), 200).get("data"));

    Map<String, Object> refused =
        json(probe.admin("POST", "api/dead-letters/" + firstId + "/replay", null), 409);
    assertEquals("failed", refused.get("outcome"));
    assertEquals(
        4,
        ((Number)
                json(probe.admin("GET", "api/dead-letters/" + firstId, null), 200).get("attempts"))
            .intValue(),
        "three deliveries and the failed replay");
    assertNull(probe.deliveriesPerMessageId().get("ops-1"), "nothing committed by the failure");

    probe.failUpstream("ops-1", false);
    HttpResponse<String> selection =
        probe.admin("POST", "api/dead-letters/replay", "{\"ids\":[" + firstId + ",-1]}");
    assertEquals(200, selection.statusCode(), selection.body());
    List<Map<String, Object>> results = JSONB.fromJson(selection.body(), List.class);
    assertEquals(
        List.of("delivered", "not found"),
        results.stream().map(result -> result.get("outcome")).toList(),
        "each id of the selection replayed on its own");
    assertEquals(1L, probe.deliveriesPerMessageId().get("ops-1"), "delivered once by the replay");
    assertEquals(404, probe.admin("GET", "api/dead-letters/" + firstId, null).statusCode());
    assertEquals(
        404, probe.admin("POST", "api/dead-letters/" + firstId + "/replay", null).statusCode());

    assertEquals(204, probe.admin("DELETE", "api/dead-letters/" + secondId, null).statusCode());
    assertEquals(404, probe.admin("GET", "api/dead-letters/" + secondId, null).statusCode());
  }

  /**
   * A delivery receipt whose observer kept failing is parked like an upstream message; its replay
   * fires the {@code DeliveryReceipt} it was (not an upstream message of category "receipt") and
   * records the receipt time of the downstream message.
   */
  @Test
  void aParkedDeliveryReceiptIsReplayedAsAReceipt() {
    String token = "parked-receipt-token-0123456789abcdef";
    String receiptId = "dr2:parked-receipt-0";
    probe.failTokenEvents(token, true);
    assertEquals(Map.of("parked-receipt-0", "ACKED"), probe.send(token, "parked-receipt", 1, true));
    emulator.await(
        () -> emulator.validAcksFor(receiptId).size() == 1, WAIT, "receipt parked, then acked");
    List<Map<String, Object>> parked = listedDeadLetters(receiptId);
    assertEquals(1, parked.size(), parked::toString);
    assertEquals("receipt", parked.get(0).get("category"));
    assertNull(probe.message("parked-receipt-0").get("receipt_at"), "no receipt recorded yet");

    probe.failTokenEvents(token, false);
    long id = ((Number) parked.get(0).get("id")).longValue();
    assertEquals(
        "delivered",
        json(probe.admin("POST", "api/dead-letters/" + id + "/replay", null), 200).get("outcome"));

    assertEquals(
        List.of("receipt parked-receipt-0 " + token),
        probe.downstreamEvents().stream().filter(e -> e.contains("parked-receipt-0")).toList(),
        "fired once, as a DeliveryReceipt");
    assertNull(
        probe.deliveriesPerMessageId().get(receiptId), "no UpstreamMessage fired for the receipt");
    assertNotNull(probe.message("parked-receipt-0").get("receipt_at"), "receipt time recorded");
    assertEquals(List.of(), listedDeadLetters(receiptId), "the dead letter is gone");
  }

  /** The dead letters of this message id as the admin API lists them. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> listedDeadLetters(String messageId) {
    Map<String, Object> page = json(probe.admin("GET", "api/dead-letters?size=500", null), 200);
    return ((List<Map<String, Object>>) page.get("dead_letters"))
        .stream().filter(letter -> messageId.equals(letter.get("messageId"))).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return JSONB.fromJson(response.body(), Map.class);
  }

  /**
   * The observer returns normally, but its own database work breaks a unique key when the delivery
   * commits: each such attempt counts toward max-attempts as much as an observer that throws.
   */
  @Test
  void aMessageWhoseDeliveryFailsAtCommitIsCountedAndDeadLettered() throws Exception {
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long deadLetteredBefore = jmx.upstream("DeadLettered");
      emulator.inject(
          SENDER_ID, new Upstream("commit-device", APP, "commit-1", Map.of("fail", "at-commit")));

      emulator.await(
          () -> !emulator.validAcksFor("commit-1").isEmpty(), WAIT, "acked once dead-lettered");
      List<Map<String, Object>> deadLetters = deadLetters("commit-1");
      assertEquals(1, deadLetters.size(), deadLetters::toString);
      assertEquals(3, ((Number) deadLetters.get(0).get("attempts")).intValue());
      assertNull(probe.deliveriesPerMessageId().get("commit-1"), "no attempt committed");
      assertEquals(deadLetteredBefore + 1, jmx.upstream("DeadLettered"));
    }
  }

  private List<Map<String, Object>> deadLetters(String messageId) {
    return probe.deadLetters().stream().filter(l -> messageId.equals(l.get("messageId"))).toList();
  }

  /**
   * Held while delivery is paused, twenty messages of one device queue up in one lane (CCS's
   * redeliveries of them are dropped, as they are still queued) and are delivered as a batch on
   * resume; the observer throws on the eleventh, which rolls the whole batch back, and each is then
   * delivered on its own.
   */
  @Test
  void aMessageFailingInsideABatchNeitherFailsNorRepeatsTheOthers() throws Exception {
    List<Upstream> messages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      messages.add(
          new Upstream(
              "batch-device", APP, "batch-" + i, i == 10 ? Map.of("fail", "once") : Map.of()));
    }
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long failuresBefore = jmx.upstream("ObserverFailures");
      long notQueuedBefore = jmx.upstream("NotQueued");
      jmx.invoke(UPSTREAM, "pause");
      try {
        messages.forEach(message -> emulator.inject(SENDER_ID, message));
        emulator.await(
            () ->
                jmx.upstreamBacklog() == 20
                    && jmx.upstreamTotal("NotQueued") - notQueuedBefore >= 5,
            WAIT,
            "the messages queued, and CCS's redeliveries of them dropped");
      } finally {
        jmx.invoke(UPSTREAM, "resume");
      }
      awaitAcked(messages);
      assertEquals(failuresBefore + 1, jmx.upstream("ObserverFailures"), "one observer failure");
    }

    emulator.await(
        () -> messages.stream().allMatch(m -> probe.asyncRuns().containsKey(m.messageId())),
        WAIT,
        "the @ObservesAsync observer notified of every message");
    Map<String, Long> deliveries = probe.deliveriesPerMessageId();
    Map<String, Number> afterSuccess = probe.afterSuccessRuns();
    Map<String, Number> async = probe.asyncRuns();
    for (Upstream message : messages) {
      assertEquals(1L, deliveries.get(message.messageId()), message.messageId());
      assertEquals(
          1,
          afterSuccess.get(message.messageId()).intValue(),
          "AFTER_SUCCESS observer of " + message.messageId() + " ran once, not for the rollback");
      assertEquals(
          1,
          async.get(message.messageId()).intValue(),
          "@ObservesAsync observer of " + message.messageId() + " ran once, not for the rollback");
    }
  }

  /**
   * While delivery is paused, CCS redelivers every unacked message again and again (every 700 ms
   * here, so about 85 times in the one-minute pause); each copy still queued is dropped, not queued
   * again, so the lanes never hold more than the messages themselves, and on resume each is
   * delivered once.
   */
  @Test
  void aLongPauseQueuesEachMessageOnceAndDeliversEveryOneAfterwards() throws Exception {
    Duration pause = Duration.ofMinutes(1);
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long notQueuedBefore = jmx.upstream("NotQueued");
      jmx.invoke(UPSTREAM, "pause");
      List<Upstream> messages;
      int mostQueued = 0;
      try {
        messages = inject("paused", "paused", 100);
        long end = System.nanoTime() + pause.toNanos();
        while (System.nanoTime() < end) {
          mostQueued = Math.max(mostQueued, jmx.upstreamBacklog());
          Thread.sleep(100);
        }
      } finally {
        jmx.invoke(UPSTREAM, "resume");
      }
      assertTrue(mostQueued <= messages.size(), "the lanes held " + mostQueued + " at most");
      assertTrue(
          jmx.upstream("NotQueued") - notQueuedBefore >= messages.size(),
          "CCS's redeliveries of queued messages were dropped");
      awaitAcked(messages);
      Map<String, Long> deliveries = probe.deliveriesPerMessageId();
      List<String> notOnce =
          messages.stream()
              .map(Upstream::messageId)
              .filter(id -> !Long.valueOf(1).equals(deliveries.get(id)))
              .toList();
      assertEquals(List.of(), notOnce, "delivered other than once");
    }
  }

  /**
   * An {@code @ObservesAsync} observer that throws is counted (JMX and metrics) and logged; the
   * committed delivery stands, and the observer is not run again (at most once).
   */
  @Test
  void aFailingAsynchronousObserverIsCountedAndNotRunAgain() throws Exception {
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long failuresBefore = jmx.upstream("AsyncObserverFailures");
      emulator.inject(
          SENDER_ID, new Upstream("async-device", APP, "async-fail-1", Map.of("async", "fail")));

      emulator.await(
          () -> jmx.upstreamTotal("AsyncObserverFailures") == failuresBefore + 1,
          WAIT,
          "the failure counted");
      emulator.await(
          () -> emulator.validAcksFor("async-fail-1").size() == 1, WAIT, "the message acked");
      assertEquals(1L, probe.deliveriesPerMessageId().get("async-fail-1"), "delivered once");
      assertEquals(1, probe.asyncRuns().get("async-fail-1").intValue(), "run once, not retried");
      assertTrue(
          probe.metrics().contains("uplink_upstream_async_observer_failures_total"),
          "the failures in /metrics");
    }
  }

  @Test
  void repliesOfAFailedAttemptAreNeverSentOnlyThoseOfTheCommittedOne() throws Exception {
    emulator.inject(
        SENDER_ID,
        new Upstream("replying-device", APP, "replying-1", Map.of("fail", "once", "replies", "2")));

    emulator.awaitAllAcked(WAIT);
    emulator.await(
        () -> emulator.downstreamFor("replying-device").size() >= 2,
        WAIT,
        "the replies of the committed attempt");
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      emulator.await(
          () -> jmx.downstreamTotal("Pending") == 0,
          WAIT,
          "nothing left in the outbox that could still go out");
    }

    assertEquals(
        List.of("replying-1-reply-0", "replying-1-reply-1"),
        emulator.downstreamFor("replying-device").stream()
            .map(DownstreamRecord::messageId)
            .sorted()
            .toList(),
        "each reply sent once: the rolled-back attempt's replies never went out");
  }
}
