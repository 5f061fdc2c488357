package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.Upstream;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every integration test class shares: its {@code @Deployment} method starts an emulator and
 * deploys {@link GatewayDeployment#of} pointed at it; each test starts once the gateway's two
 * connections of the default sender are bound and ends with the emulator's verdict ({@link
 * EmulatorVerdict}); the emulator stops after the class. Test classes run one after another, so one
 * static emulator at a time is enough.
 */
@ExtendWith(ArquillianExtension.class)
abstract class GatewayIntegrationTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final String APP = "com.example.app";

  static CcsEmulator emulator;

  @ArquillianResource URL deploymentUrl;

  Probe probe;

  private EmulatorVerdict verdictBefore;

  @BeforeEach
  void awaitPool() {
    probe = new Probe(deploymentUrl);
    emulator.awaitConnections(SENDER_ID, 2, WAIT);
    verdictBefore = EmulatorVerdict.of(emulator);
  }

  /** Whatever the test checked, the emulator saw no protocol violation and no invalid ack. */
  @AfterEach
  void checkTheEmulatorsVerdict() {
    verdictBefore.assertNothingAddedBy(emulator);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  /** An emulator for the default sender that redelivers unacked messages after the delay. */
  static CcsEmulator startEmulator(Duration redeliveryDelay) {
    return CcsEmulator.builder()
        .sender(GatewayDeployment.SENDER_ID, GatewayDeployment.SERVER_KEY)
        .redeliveryDelay(redeliveryDelay)
        .build()
        .start();
  }

  /**
   * Injects {@code count} upstream messages of the test app from five devices named after {@code
   * device}, with ids unique to this call.
   */
  static List<Upstream> inject(String device, String prefix, int count) {
    List<Upstream> messages =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    new Upstream(
                        device + "-device-" + prefix + "-" + (i % 5) + "-0123456789abcdef",
                        APP,
                        prefix + "-" + i + "-" + System.nanoTime(),
                        Map.of()))
            .toList();
    messages.forEach(m -> emulator.inject(SENDER_ID, m));
    return messages;
  }

  /** Waits until the emulator saw a valid ack for every one of the messages. */
  static void awaitAcked(List<Upstream> messages) {
    emulator.awaitAcked(messages, WAIT);
  }

  /** Lets a fault take effect inside a callback, where checked exceptions cannot escape. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
