package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The retention purge: de-duplication records, finished outbox rows and dead letters go once older
 * than their retention (1 s here, checked every 0.5 s, two rows per transaction so that every purge
 * takes several chunks; de-duplication records are kept at least 10 minutes, so the test backdates
 * one), pending outbox rows stay, and the purge counts what it deleted.
 */
@RunAsClient
class RetentionIT extends GatewayIntegrationTest {

  private static final Pattern PURGED =
      Pattern.compile("uplink_retention_purged_total\\{[^}]*table=\"(\\w+)\"[^}]*\\} ([0-9.]+)");

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator = startEmulator(Duration.ofSeconds(1));
    return GatewayDeployment.of(
        emulator,
        Map.of(
            "uplink.upstream.dedup-retention", "PT10M",
            "uplink.upstream.purge-interval", "PT0.5S",
            "uplink.upstream.max-attempts", "1",
            "uplink.retention.outbox", "PT1S",
            "uplink.retention.dead-letters", "PT1S",
            "uplink.retention.chunk-size", "2"));
  }

  @Test
  void redeliveryWithinRetentionIsADuplicateButAfterThePurgeItIsNew() {
    long purgedBefore = purged("uplink_received");
    emulator.inject(SENDER_ID, new Upstream("old-device", APP, "old-1", Map.of()));
    emulator.awaitAllAcked(WAIT);
    emulator.redeliver(
        SENDER_ID, "old-device", "old-1", emulator.openConnections(SENDER_ID).get(0));
    emulator.awaitAllAcked(WAIT);
    assertEquals(1L, probe.deliveriesPerMessageId().get("old-1"), "duplicate within retention");

    assertEquals(1, probe.backdateReceived("old-1"));
    emulator.await(
        () -> purged("uplink_received") > purgedBefore, WAIT, "the de-duplication record purged");
    emulator.redeliver(
        SENDER_ID, "old-device", "old-1", emulator.openConnections(SENDER_ID).get(1));
    emulator.awaitAllAcked(WAIT);
    assertEquals(2L, probe.deliveriesPerMessageId().get("old-1"), "record purged after retention");
  }

  @Test
  void finishedOutboxRowsArePurgedInChunksAndPendingOnesStay() {
    long purgedBefore = purged("uplink_outbox");
    List<String> acked = IntStream.range(0, 5).mapToObj(i -> "retained-" + i).toList();
    acked.forEach(id -> assertEquals(202, probe.accept(message(id))));
    emulator.await(
        () -> acked.stream().allMatch(id -> probe.messageState(id).equals("acked")),
        WAIT,
        "five messages acked");
    emulator.holdAnswers();
    try {
      assertEquals(202, probe.accept(message("retained-pending")));
      emulator.await(
          () -> emulator.downstreamCount("retained-pending") > 0, WAIT, "the pending one sent");
      emulator.await(
          () -> purged("uplink_outbox") >= purgedBefore + acked.size(),
          WAIT,
          "the five acked rows purged, two per transaction");
      assertTrue(acked.stream().noneMatch(probe::messageKnown), "acked rows gone");
      assertEquals(
          "pending",
          probe.messageState("retained-pending"),
          "the unanswered message outlived the purge that took the others, which ran after it"
              + " was accepted");
    } finally {
      emulator.releaseAnswers();
    }
    emulator.await(
        () -> probe.messageState("retained-pending").equals("acked"),
        WAIT,
        "the pending one acked");
  }

  @Test
  void deadLettersArePurged() {
    long purgedBefore = purged("uplink_dead_letter");
    emulator.inject(
        SENDER_ID, new Upstream("poison-device", APP, "poison-1", Map.of("fail", "always")));
    emulator.awaitAllAcked(WAIT);
    emulator.await(
        () -> purged("uplink_dead_letter") > purgedBefore, WAIT, "the dead letter purged");
    assertFalse(
        probe.deadLetters().stream().anyMatch(row -> "poison-1".equals(row.get("messageId"))),
        "the dead letter is gone from the table");
  }

  private static String message(String id) {
    return "{\"to\":\"retention-device-0123456789abcdef\",\"message_id\":\"" + id + "\"}";
  }

  /** The purge's count for the table, from {@code /metrics}. */
  private long purged(String table) {
    Matcher lines = PURGED.matcher(probe.metrics());
    while (lines.find()) {
      if (lines.group(1).equals(table)) {
        return (long) Double.parseDouble(lines.group(2));
      }
    }
    throw new AssertionError("no uplink_retention_purged_total for " + table);
  }
}
