package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Downstream messages sent through the CDI API go out over the pool and complete on CCS's ack. */
@RunAsClient
class DownstreamIT extends GatewayIntegrationTest {

  private static final String TOKEN = "downstream-token-0123456789abcdef";

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, GatewayDeployment.SERVER_KEY)
            .redeliveryDelay(Duration.ofSeconds(5))
            .build()
            .start();
    return GatewayDeployment.of(emulator, Map.of());
  }

  @Test
  void sentMessageIsAckedAndCompletesTheSend() throws Exception {
    Map<String, String> outcomes = probe.send(TOKEN, "single", 1, false);

    assertEquals(Map.of("single-0", "ACKED"), outcomes);
    DownstreamRecord record =
        emulator.downstream().stream()
            .filter(r -> "single-0".equals(r.messageId()))
            .findFirst()
            .orElseThrow();
    assertEquals(TOKEN, record.to());
    assertTrue(record.json().contains("\"data\":{\"n\":\"0\"}"), record.json());
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      assertTrue(jmx.downstream("Acked") >= 1);
    }
  }

  @Test
  void manySendsAreSpreadOverTheConnectionsAndAllAcked() {
    Map<String, String> outcomes = probe.send(TOKEN, "many", 400, false);

    assertEquals(400, outcomes.size());
    assertTrue(outcomes.values().stream().allMatch("ACKED"::equals), outcomes::toString);
    Set<String> connectionsUsed =
        emulator.downstream().stream()
            .filter(r -> r.messageId() != null && r.messageId().startsWith("many-"))
            .map(DownstreamRecord::connectionId)
            .collect(Collectors.toSet());
    assertEquals(2, connectionsUsed.size(), "both connections carried messages");
    assertEquals(
        400,
        emulator.downstream().stream()
            .filter(r -> r.messageId() != null && r.messageId().startsWith("many-"))
            .count(),
        "each message sent once");
  }
}
