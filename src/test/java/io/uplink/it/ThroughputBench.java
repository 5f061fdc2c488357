package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.Upstream;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * A first, rough throughput measurement, not part of the test suite (failsafe runs only {@code
 * *IT}): {@code mvn verify -Dit.test=ThroughputBench -Dtest=NoSuch
 * -Dsurefire.failIfNoSpecifiedTests=false}. It prints upstream messages acked per second (100
 * devices, every message de-duplicated and committed before its ack) and downstream messages acked
 * per second through the CDI API, each over two rounds so the second one is warm. Emulator, gateway
 * and this client share the machine, so read the figures as a floor.
 */
@RunAsClient
class ThroughputBench extends GatewayIntegrationTest {

  private static final int UPSTREAM = 10_000;
  private static final int DOWNSTREAM = 5_000;

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, GatewayDeployment.SERVER_KEY)
            .redeliveryDelay(Duration.ofMinutes(5))
            .recordStanzas(false)
            .build()
            .start();
    return GatewayDeployment.of(emulator, Map.of());
  }

  @Test
  void printThroughput() {
    for (int round = 1; round <= 2; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < UPSTREAM; i++) {
        emulator.inject(
            SENDER_ID,
            new Upstream("bench-device-" + (i % 100), APP, round + "-" + i, Map.of("k", "v")));
      }
      emulator.awaitAllAcked(Duration.ofMinutes(5));
      report("upstream", round, UPSTREAM, System.nanoTime() - start);

      start = System.nanoTime();
      probe.send("bench-token-0123456789abcdef", "bench-" + round, DOWNSTREAM, false);
      report("downstream", round, DOWNSTREAM, System.nanoTime() - start);
    }
  }

  private static void report(String what, int round, int count, long nanos) {
    System.out.printf(
        "[bench] %s round %d: %d messages acked in %d ms = %.0f messages/s%n",
        what, round, count, nanos / 1_000_000, count * 1e9 / nanos);
  }
}
