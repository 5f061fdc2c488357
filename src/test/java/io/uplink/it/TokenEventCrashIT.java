package io.uplink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uplink.emulator.CcsEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TokenInvalidated event whose observer has not succeeded yet survives a SIGKILL of Payara Micro:
 * it was recorded with the nack in the outbox, and the restarted gateway hands it to the
 * application, once.
 */
class TokenEventCrashIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOKEN = "crash-event-token-0123456789abcdef";

  private CcsEmulator emulator;
  private PayaraMicroProcess server;

  @BeforeEach
  void startEmulatorAndServer() throws Exception {
    emulator = GatewayIntegrationTest.startEmulator(Duration.ofSeconds(2));
    Path directory = Path.of("target", "token-event-crash").toAbsolutePath();
    server =
        new PayaraMicroProcess(
            GatewayDeployment.exported(directory, emulator, Map.of()), directory);
    server.start();
  }

  @AfterEach
  void stop() {
    try {
      EmulatorVerdict.CLEAN.assertNothingAddedBy(emulator);
    } finally {
      server.close();
      emulator.close();
    }
  }

  @Test
  void tokenEventPendingAtACrashIsHandedOverOnceAfterTheRestart() throws Exception {
    Probe probe = new Probe(server.application().toURL());
    emulator.unregisterToken(TOKEN);
    probe.failTokenEvents(TOKEN, true);

    server.acceptDownstream(TOKEN, "crash-event-1");
    emulator.await(
        () -> probe.messageState("crash-event-1").equals("nacked"),
        WAIT,
        "the nack and its event recorded");
    assertEquals(List.of(), probe.downstreamEvents(), "the observer failed so far");

    server.kill();
    server.start();
    Probe restarted = new Probe(server.application().toURL());
    restarted.failTokenEvents(TOKEN, false);

    String event = "invalidated " + TOKEN + " DEVICE_UNREGISTERED";
    emulator.await(
        () -> restarted.downstreamEvents().contains(event), WAIT, "the event after the restart");
    assertEquals(List.of(event), restarted.downstreamEvents());
    assertEquals(1, emulator.downstreamCount("crash-event-1"), "the message was not sent again");
  }
}
