package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uplink.emulator.Upstream;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** De-duplication records are purged once older than the configured retention. */
@RunAsClient
class DedupRetentionIT extends GatewayIntegrationTest {

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator = startEmulator(Duration.ofMinutes(5));
    return GatewayDeployment.of(
        emulator,
        Map.of(
            "uplink.upstream.dedup-retention", "PT1S",
            "uplink.upstream.purge-interval", "PT0.5S"));
  }

  @Test
  void redeliveryWithinRetentionIsADuplicateButAfterThePurgeItIsNew() throws Exception {
    emulator.inject(SENDER_ID, new Upstream("old-device", APP, "old-1", Map.of()));
    emulator.awaitAllAcked(WAIT);

    emulator.redeliver(
        SENDER_ID, "old-device", "old-1", emulator.openConnections(SENDER_ID).get(0));
    emulator.awaitAllAcked(WAIT);
    assertEquals(1L, probe.deliveriesPerMessageId().get("old-1"), "duplicate within retention");

    // Nothing outside shows the purge: wait out the retention (1 s) plus four purge intervals (0.5
    // s).
    Thread.sleep(3000);
    emulator.redeliver(
        SENDER_ID, "old-device", "old-1", emulator.openConnections(SENDER_ID).get(1));
    emulator.awaitAllAcked(WAIT);
    assertEquals(2L, probe.deliveriesPerMessageId().get("old-1"), "record purged after retention");
  }
}
