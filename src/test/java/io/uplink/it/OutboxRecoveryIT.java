package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import io.uplink.emulator.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * Downstream messages still unanswered when the application stops are sent again when it starts,
 * from the outbox (the same WAR and database file are deployed twice).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OutboxRecoveryIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String DEVICE = "restart-device-0123456789abcdef";
  private static final int REPLIES = 20;

  private static CcsEmulator emulator;

  @ArquillianResource Deployer deployer;

  @Deployment(name = "gateway", managed = false, testable = false)
  static WebArchive deployment() {
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(5));
    return GatewayDeployment.of(emulator, Map.of("uplink.ccs.drain-timeout", "PT2S"));
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
  void messagesUnansweredAtShutdownAreSentAfterTheRestart() {
    deployer.deploy("gateway");
    emulator.awaitConnections(SENDER_ID, 2, WAIT);
    emulator.holdAnswers();
    emulator.inject(
        SENDER_ID,
        new Upstream(DEVICE, "com.example.app", "ask", Map.of("replies", String.valueOf(REPLIES))));
    emulator.await(() -> replies().size() == REPLIES, WAIT, "the replies on the wire, unanswered");

    deployer.undeploy("gateway");
    emulator.await(() -> emulator.openConnections(SENDER_ID).isEmpty(), WAIT, "streams closed");
    emulator.releaseAnswers();
    assertTrue(
        replies().stream().noneMatch(r -> r.outcome() == DownstreamRecord.Outcome.ACKED),
        "nothing was answered before the stop");

    GatewayDeployment.awaitPreviousServerGone();
    deployer.deploy("gateway");
    try {
      emulator.await(
          () -> acked().size() == REPLIES, WAIT, "every reply sent again and acked after restart");
    } finally {
      deployer.undeploy("gateway");
    }
  }

  private static List<DownstreamRecord> replies() {
    return emulator.downstreamFor(DEVICE);
  }

  private static List<String> acked() {
    return replies().stream()
        .filter(r -> r.outcome() == DownstreamRecord.Outcome.ACKED)
        .map(DownstreamRecord::messageId)
        .distinct()
        .toList();
  }
}
