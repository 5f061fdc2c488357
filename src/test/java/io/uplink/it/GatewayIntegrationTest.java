package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;

import io.uplink.emulator.CcsEmulator;
import java.net.URL;
import java.time.Duration;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every integration test class shares: its {@code @Deployment} method starts an emulator and
 * deploys {@link GatewayDeployment#of} pointed at it; each test starts once the gateway's two
 * connections of the default sender are bound; the emulator stops after the class. Test classes run
 * one after another, so one static emulator at a time is enough.
 */
@ExtendWith(ArquillianExtension.class)
abstract class GatewayIntegrationTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final String APP = "com.example.app";

  static CcsEmulator emulator;

  @ArquillianResource URL deploymentUrl;

  Probe probe;

  @BeforeEach
  void awaitPool() {
    probe = new Probe(deploymentUrl);
    emulator.awaitConnections(SENDER_ID, 2, WAIT);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
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
