package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import io.uplink.emulator.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping Payara Micro (the managed container sends it SIGTERM) stops the gateway gracefully: the
 * upstream messages the lanes hold are delivered and acked before the streams close, CCS's answers
 * to downstream messages in flight are awaited and recorded, so nothing is sent twice after the
 * next start (the same WAR and database are deployed again).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GracefulShutdownIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String DEVICE = "shutdown-device-0123456789abcdef";
  private static final String REPLY_DEVICE = "shutdown-replies-0123456789abcdef";
  private static final int MESSAGES = 30;
  private static final int REPLIES = 10;

  private static CcsEmulator emulator;

  @ArquillianResource Deployer deployer;

  @Deployment(name = "gateway", managed = false, testable = false)
  static WebArchive deployment() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, GatewayDeployment.SERVER_KEY)
            .redeliveryDelay(Duration.ofMinutes(5))
            .downstreamAckDelay(Duration.ofSeconds(1))
            .build()
            .start();
    // One message per delivery transaction: the slow messages are then acked one by one, so the
    // stop surely finds some in flight (a whole batch would be acked at once).
    return GatewayDeployment.of(emulator, Map.of("uplink.upstream.batch-size", "1"));
  }

  @AfterAll
  static void stopEmulator() {
    try {
      EmulatorVerdict.CLEAN.assertNothingAddedBy(emulator);
    } finally {
      emulator.close();
    }
  }

  @Test
  void stopDeliversAndAcksWhatIsInFlightAndRecordsDownstreamAnswers() {
    deployer.deploy("gateway");
    emulator.awaitConnections(SENDER_ID, 2, WAIT);
    emulator.inject(
        SENDER_ID,
        new Upstream(
            REPLY_DEVICE, "com.example.app", "ask", Map.of("replies", String.valueOf(REPLIES))));
    emulator.await(
        () -> emulator.downstreamFor(REPLY_DEVICE).size() == REPLIES,
        WAIT,
        "the replies on the wire, their acks still to come");
    List<Upstream> messages =
        IntStream.range(0, MESSAGES)
            .mapToObj(
                i -> new Upstream(DEVICE, "com.example.app", "slow-" + i, Map.of("sleep", "100")))
            .toList();
    messages.forEach(m -> emulator.inject(SENDER_ID, m));
    emulator.await(() -> acked(messages) >= 3, WAIT, "the first messages acked");
    assertTrue(acked(messages) < MESSAGES, "messages were still in flight at the stop");

    deployer.undeploy("gateway");
    emulator.await(
        () -> emulator.openConnections(SENDER_ID).isEmpty(),
        WAIT,
        "the streams closed by the stop");

    assertEquals(
        List.of(),
        messages.stream()
            .filter(m -> emulator.validAcksFor(m.messageId()).isEmpty())
            .map(Upstream::messageId)
            .toList(),
        "every message in flight was delivered and acked");
    assertEquals(REPLIES, repliesAcked(), "CCS answered every reply before the streams closed");

    GatewayDeployment.awaitPreviousServerGone();
    deployer.deploy("gateway");
    try {
      emulator.awaitConnections(SENDER_ID, 2, WAIT);
      // A check that nothing is sent again: orphans go out as soon as the connections are
      // assigned, well within 3 s of them being open.
      GatewayIntegrationTest.sleep(3000);
      assertEquals(
          REPLIES,
          emulator.downstreamFor(REPLY_DEVICE).size(),
          "no reply was sent again after the restart");
    } finally {
      deployer.undeploy("gateway");
    }
  }

  private static long acked(List<Upstream> messages) {
    return messages.stream().filter(m -> !emulator.validAcksFor(m.messageId()).isEmpty()).count();
  }

  private static long repliesAcked() {
    return emulator.downstreamFor(REPLY_DEVICE).stream()
        .filter(r -> r.outcome() == DownstreamRecord.Outcome.ACKED)
        .count();
  }
}
