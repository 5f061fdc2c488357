package io.uplink.emulator;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaExtensionFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.ping.PingManager;

/**
 * A plain Smack 4.4 client, independent of Uplink, for testing the emulator the way the real
 * gateway talks to CCS. {@link #configuration} is the known-good Smack 4.4.8 setup for CCS:
 *
 * <ul>
 *   <li>Direct TLS (ccs-protocol.md §1.2): {@code setSocketFactory(sslContext.getSocketFactory())}
 *       with {@code setSecurityMode(SecurityMode.disabled)}; Smack then never asks for STARTTLS.
 *       Smack's {@code HostnameVerifier} is only used after STARTTLS, so nothing checks the host
 *       name unless the socket does: see {@link EndpointCheckingSocketFactory}.
 *   <li>{@code setHostAddress(InetAddress)} or {@code setHost(name)} plus {@code setPort}, so Smack
 *       does no SRV lookup; {@code setXmppDomain("gcm.googleapis.com")} is the stream {@code to}.
 *   <li>SASL PLAIN (§1.3) needs no unblacklisting in Smack 4.4; {@code
 *       addEnabledSaslMechanism("PLAIN")} restricts the choice to it. The username is the full
 *       {@code SENDER_ID@gcm.googleapis.com} (Smack sends it as the authcid unchanged; as a side
 *       effect its stream header says {@code
 *       from="SENDER_ID@gcm.googleapis.com@gcm.googleapis.com"}, which CCS ignores).
 *   <li>{@code setSendPresence(false)} and {@code
 *       Roster.getInstanceFor(c).setRosterLoadedAtLogin(false)} (§1.4): otherwise Smack asks for a
 *       roster, gets {@code service-unavailable} and logs SEVERE.
 *   <li>The {@code gcm} extension needs a provider registered with {@code
 *       ProviderManager.addExtensionProvider("gcm", "google:mobile:data", ...)}; see {@link
 *       GcmTestElement}.
 * </ul>
 *
 * <p>Collects every incoming {@code google:mobile:data} payload in a queue. One per test; close it.
 */
final class SmackCcsClient implements AutoCloseable {

  static {
    ProviderManager.addExtensionProvider(
        GcmTestElement.ELEMENT, GcmTestElement.NAMESPACE, new GcmTestElement.Provider());
  }

  private final XMPPTCPConnection connection;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  private SmackCcsClient(XMPPTCPConnection connection) {
    this.connection = connection;
    connection.addAsyncStanzaListener(
        stanza -> received.add(stanza.getExtension(GcmTestElement.class).json()),
        new StanzaExtensionFilter(GcmTestElement.ELEMENT, GcmTestElement.NAMESPACE));
  }

  /** The Smack configuration that connects to the emulator (and, with a real host, to CCS). */
  static XMPPTCPConnectionConfiguration configuration(
      CcsEmulator emulator, String senderId, String key) throws Exception {
    return XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain("gcm.googleapis.com")
        .setHostAddress(InetAddress.getByName(emulator.host()))
        .setPort(emulator.port())
        .setSocketFactory(emulator.clientSslContext().getSocketFactory())
        .setSecurityMode(SecurityMode.disabled)
        .addEnabledSaslMechanism("PLAIN")
        .setUsernameAndPassword(senderId + "@gcm.googleapis.com", key)
        .setResource("uplink")
        .setSendPresence(false)
        .build();
  }

  /** Connects, authenticates and binds; throws what Smack throws when any of that fails. */
  static SmackCcsClient connect(CcsEmulator emulator, String senderId, String key)
      throws Exception {
    XMPPTCPConnection connection = new XMPPTCPConnection(configuration(emulator, senderId, key));
    connection.setReplyTimeout(2_000);
    Roster.getInstanceFor(connection).setRosterLoadedAtLogin(false);
    SmackCcsClient client = new SmackCcsClient(connection);
    try {
      connection.connect().login();
    } catch (Exception e) {
      connection.disconnect();
      throw e;
    }
    return client;
  }

  XMPPTCPConnection connection() {
    return connection;
  }

  /** The emulator's side of this client's connection, found by the bound JID. */
  EmulatedConnection serverSide(CcsEmulator emulator) {
    String jid = connection.getUser().toString();
    return emulator.connections().stream()
        .filter(c -> jid.equals(c.jid()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no emulator connection bound to " + jid));
  }

  void sendGcm(String json) throws Exception {
    Message message =
        connection
            .getStanzaFactory()
            .buildMessageStanza()
            .addExtension(new GcmTestElement(json))
            .build();
    connection.sendStanza(message);
  }

  /** Acks an upstream message the way §3.7 says. */
  void ack(String to, String messageId) throws Exception {
    sendGcm(
        "{\"to\":\"" + to + "\",\"message_id\":\"" + messageId + "\",\"message_type\":\"ack\"}");
  }

  /** The next {@code google:mobile:data} JSON received, or {@code null} after {@code timeout}. */
  String nextGcm(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next {@code google:mobile:data} payload, parsed; fails the test after {@code timeout}. */
  JsonObject nextJson(Duration timeout) throws InterruptedException {
    String json = nextGcm(timeout);
    if (json == null) {
      throw new AssertionError(
          "no google:mobile:data message within " + timeout.toMillis() + " ms");
    }
    return Json.createReader(new StringReader(json)).readObject();
  }

  /** Sends a downstream message and returns the answer that arrives next, parsed. */
  JsonObject answerTo(String json, Duration timeout) throws Exception {
    sendGcm(json);
    return nextJson(timeout);
  }

  /** XEP-0199 ping of the server; false if no answer within {@code timeout}. */
  boolean ping(Duration timeout) throws Exception {
    return PingManager.getInstanceFor(connection).pingMyServer(false, timeout.toMillis());
  }

  @Override
  public void close() {
    connection.disconnect();
  }
}
