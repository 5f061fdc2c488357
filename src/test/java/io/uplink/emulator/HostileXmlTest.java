package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostileXmlTest {

  private static final Duration WAIT = Duration.ofSeconds(3);

  private CcsEmulator emulator;

  @BeforeEach
  void start() {
    emulator = CcsEmulator.builder().sender("1234", "key-1").build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void doctypeWithAnEntityIsRefusedWithoutExpandingIt() throws Exception {
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      client.send(
          "<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY boom \"EXPANDED-ENTITY\">"
              + "<!ENTITY lol \"&boom;&boom;&boom;&boom;&boom;&boom;&boom;&boom;\">]>"
              + RawTlsClient.STREAM_HEADER
              + "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\""
              + " mechanism=\"PLAIN\">&lol;</auth>");

      assertTrue(client.awaitClosedByServer(WAIT));
      assertTrue(
          client.text().contains("<restricted-xml xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>"),
          client.text());
      assertTrue(emulator.stanzas().stream().noneMatch(s -> s.xml().contains("EXPANDED-ENTITY")));
      assertTrue(emulator.authFailures().isEmpty());
    }
  }

  @Test
  void undeclaredEntityInsideTheStreamIsRefused() throws Exception {
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      client.send(
          RawTlsClient.STREAM_HEADER
              + "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">"
              + "&xxe;</auth>");

      assertTrue(client.awaitClosedByServer(WAIT));
      assertTrue(client.text().contains("<stream:error>"), client.text());
      assertFalse(client.text().contains("<success"));
    }
  }

  @Test
  void doctypeInTheMiddleOfTheStreamIsInvalidXml() throws Exception {
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      client.send(
          RawTlsClient.STREAM_HEADER
              + "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");

      assertTrue(client.awaitClosedByServer(WAIT));
      assertTrue(
          client.text().contains("<invalid-xml xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>"),
          client.text());
      assertFalse(client.text().contains("root:"));
    }
  }
}
