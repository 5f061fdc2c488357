package io.uplink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.CcsEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gateway refuses a CCS server whose certificate names another host, or comes from a CA its
 * trust store does not hold: it never authenticates, backs off between attempts, and logs why in
 * one line per attempt.
 */
class TlsRefusalIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Pattern ATTEMPT =
      Pattern.compile(
          "connection attempt (\\d+) failed \\(([^\\n]*)\\); next attempt in (\\d+) ms");

  @Test
  void certificateForAnotherHostIsRefused() throws Exception {
    CcsEmulator emulator =
        CcsEmulator.builder()
            .sender(GatewayDeployment.SENDER_ID, GatewayDeployment.SERVER_KEY)
            .certificateHostName("wrong.example.org")
            .build()
            .start();
    refusedWithReason(emulator, "wrong-host", "No subject alternative names matching IP address");
  }

  @Test
  void certificateFromAnUntrustedAuthorityIsRefused() throws Exception {
    CcsEmulator emulator =
        CcsEmulator.builder()
            .sender(GatewayDeployment.SENDER_ID, GatewayDeployment.SERVER_KEY)
            .untrustedCertificate(true)
            .build()
            .start();
    refusedWithReason(emulator, "untrusted-ca", "PKIX path building failed");
  }

  /**
   * Runs the gateway against the emulator until each connection failed four times, then checks the
   * log: every attempt's line names the certificate's fault, the delays grew, and no stream was
   * ever authenticated.
   */
  private static void refusedWithReason(CcsEmulator emulator, String name, String reason)
      throws Exception {
    Path directory = Path.of("target", "tls-refusal", name).toAbsolutePath();
    Path war = GatewayDeployment.exported(directory, emulator, Map.of());
    try (emulator;
        PayaraMicroProcess server = new PayaraMicroProcess(war, directory)) {
      Path log = server.launch().toPath();
      emulator.await(() -> attempts(log).size() >= 8, WAIT, "eight failed attempts in the log");

      List<Attempt> attempts = attempts(log);
      assertTrue(
          attempts.stream().allMatch(a -> a.cause().startsWith("certificate refused: " + reason)),
          attempts::toString);
      long firstDelay = attempts.get(0).delayMillis();
      long lastDelay = attempts.get(attempts.size() - 1).delayMillis();
      assertTrue(lastDelay > firstDelay, "backed off: " + attempts);
      assertEquals(List.of(), emulator.openConnections(GatewayDeployment.SENDER_ID));
      assertTrue(
          emulator.authFailures().isEmpty() && !Files.readString(log).contains("connected as"),
          "no stream got as far as authentication");
    }
  }

  private record Attempt(int number, String cause, long delayMillis) {}

  private static List<Attempt> attempts(Path log) {
    try {
      Matcher matcher = ATTEMPT.matcher(Files.readString(log));
      return matcher
          .results()
          .map(
              m ->
                  new Attempt(Integer.parseInt(m.group(1)), m.group(2), Long.parseLong(m.group(3))))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
