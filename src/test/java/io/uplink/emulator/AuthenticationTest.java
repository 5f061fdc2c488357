package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthenticationTest {

  private static final String SENDER = "1234";
  private static final String KEY = "key-1";
  private static final Duration WAIT = Duration.ofSeconds(3);

  private CcsEmulator emulator;

  @BeforeEach
  void start() {
    emulator = CcsEmulator.builder().sender(SENDER, KEY).sender("5678", "key-2").build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void smackClientAuthenticatesWithPlainAndBindsAResource() throws Exception {
    try (SmackCcsClient client = SmackCcsClient.connect(emulator, SENDER, KEY)) {
      EmulatedConnection connection = emulator.awaitConnections(SENDER, 1, WAIT).get(0);

      assertTrue(
          connection.jid().matches("1234@gcm\\.googleapis\\.com/uplink[0-9A-F]{8}"),
          connection.jid());
      assertEquals(connection.jid(), client.connection().getUser().toString());
      List<String> outbound =
          emulator.stanzas(connection.id()).stream()
              .filter(s -> s.direction() == WireStanza.Direction.OUTBOUND)
              .map(WireStanza::xml)
              .toList();
      assertTrue(
          outbound.get(0).startsWith("<stream:stream from=\"gcm.googleapis.com\""),
          outbound.get(0));
      assertTrue(outbound.get(1).contains("<mechanism>PLAIN</mechanism>"), outbound.get(1));
      assertTrue(
          outbound.contains("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>"),
          outbound.toString());
      assertTrue(emulator.violations().isEmpty(), emulator.violations().toString());
    }
  }

  @Test
  void wrongKeyIsRefusedAsNotAuthorizedAndRecorded() throws Exception {
    SASLErrorException refused =
        assertThrows(
            SASLErrorException.class, () -> SmackCcsClient.connect(emulator, SENDER, "wrong"));

    assertEquals("not-authorized", refused.getSASLFailure().getSASLErrorString());
    emulator.await(
        () -> emulator.events().stream().anyMatch(e -> e.kind() == ConnectionEvent.Kind.CLOSED),
        WAIT,
        "the refused connection to close");
    AuthFailure failure = emulator.authFailures().get(0);
    assertEquals("1234@gcm.googleapis.com", failure.authenticationId());
    assertEquals("wrong key", failure.reason());
    assertTrue(
        emulator.stanzas().stream()
            .anyMatch(
                s ->
                    s.xml()
                        .equals(
                            "<failure"
                                + " xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><not-authorized/></failure></stream:stream>")));
    assertTrue(emulator.openConnections(SENDER).isEmpty());
  }

  @Test
  void fcmUsernameDomainIsAcceptedButABareSenderIdIsNot() throws Exception {
    try (RawTlsClient fcm = new RawTlsClient(emulator);
        RawTlsClient bare = new RawTlsClient(emulator)) {
      fcm.send(
          RawTlsClient.STREAM_HEADER + RawTlsClient.plainAuth("5678@fcm.googleapis.com", "key-2"));
      bare.send(RawTlsClient.STREAM_HEADER + RawTlsClient.plainAuth("5678", "key-2"));

      assertTrue(fcm.readUntil("<success", WAIT).contains("<success"), fcm.text());
      assertTrue(bare.awaitClosedByServer(WAIT));
      assertTrue(bare.text().contains("<not-authorized/>"), bare.text());
      assertEquals(1, emulator.authFailures().size());
    }
  }

  @Test
  void certificatePassesHostnameVerificationFor127001AndLocalhost() throws Exception {
    for (String host : List.of("127.0.0.1", "localhost")) {
      XMPPTCPConnection connection =
          new XMPPTCPConnection(
              XMPPTCPConnectionConfiguration.builder()
                  .setXmppDomain("gcm.googleapis.com")
                  .setHost(host)
                  .setPort(emulator.port())
                  .setSocketFactory(new EndpointCheckingSocketFactory(emulator.clientSslContext()))
                  .setSecurityMode(SecurityMode.disabled)
                  .setUsernameAndPassword(SENDER + "@gcm.googleapis.com", KEY)
                  .setSendPresence(false)
                  .build());
      Roster.getInstanceFor(connection).setRosterLoadedAtLogin(false);
      try {
        connection.connect().login();
        assertTrue(connection.isAuthenticated(), host);
      } finally {
        connection.disconnect();
      }
    }
  }

  @Test
  void xmlDeclarationBeforeEachStreamHeaderIsAccepted() throws Exception {
    try (RawTlsClient client = new RawTlsClient(emulator)) {
      String declaration = "<?xml version='1.0' encoding='UTF-8'?>";
      client.send(
          declaration
              + RawTlsClient.STREAM_HEADER
              + RawTlsClient.plainAuth("1234@gcm.googleapis.com", KEY));
      client.readUntil("<success", WAIT);
      client.send(
          declaration
              + RawTlsClient.STREAM_HEADER
              + "<iq type=\"set\" id=\"b\"><bind"
              + " xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"><resource>r</resource></bind></iq>");

      assertTrue(
          client.readUntil("</iq>", WAIT).contains("<jid>1234@gcm.googleapis.com/r"),
          client.text());
    }
  }

  @Test
  void everyFailedAttemptIsCountedWithItsTime() throws Exception {
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThrows(SASLErrorException.class, () -> SmackCcsClient.connect(emulator, "9999", KEY));
    }

    List<AuthFailure> failures = emulator.authFailures();
    assertEquals(3, failures.size());
    assertEquals("unknown sender", failures.get(0).reason());
    assertTrue(!failures.get(2).at().isBefore(failures.get(0).at()));
  }
}
