package io.uplink.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.filter.StanzaExtensionFilter;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * The benchmark's ceiling: bare Smack connections that ack every upstream message on the connection
 * it came in on, with no database, no CDI and no application server. What the emulator and Smack
 * manage on this machine bounds what the gateway can. It runs in a JVM of its own ({@link #main},
 * started by {@link CeilingProcess}), so that its CPU time and allocation are measured like the
 * gateway's. Close it when done.
 */
final class BareSmackCeiling implements AutoCloseable {

  private static final String ELEMENT = "gcm";
  private static final String NAMESPACE = "google:mobile:data";

  /**
   * Looked up once: {@code Json.createReader} looks the provider up through the service loader on
   * every call, which would cost the ceiling more than its parsing.
   */
  private static final JsonProvider JSON = JsonProvider.provider();

  static {
    Roster.setRosterLoadedAtLoginDefault(false);
  }

  private final List<XMPPTCPConnection> connections = new ArrayList<>();

  /**
   * Connects to an emulator and acks until standard input ends. Arguments: host, port, trust store,
   * its password, sender ID, server key, connections. Prints {@value #READY} once connected.
   */
  public static void main(String[] args) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(args[2]))) {
      trusted.load(in, args[3].toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    try (BareSmackCeiling ceiling =
        connect(
            args[0], Integer.parseInt(args[1]), tls, args[4], args[5], Integer.parseInt(args[6]))) {
      System.out.println(READY);
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
    }
  }

  /** What {@link #main} prints once its connections are up. */
  static final String READY = "ceiling ready";

  /** Opens, authenticates and binds {@code count} connections that ack from then on. */
  static BareSmackCeiling connect(
      String host, int port, SSLContext tls, String senderId, String key, int count)
      throws Exception {
    BareSmackCeiling ceiling = new BareSmackCeiling();
    for (int i = 0; i < count; i++) {
      XMPPTCPConnection connection =
          new XMPPTCPConnection(
              XMPPTCPConnectionConfiguration.builder()
                  .setXmppDomain("gcm.googleapis.com")
                  .setHostAddress(InetAddress.getByName(host))
                  .setPort(port)
                  .setSocketFactory(tls.getSocketFactory())
                  .setSecurityMode(SecurityMode.disabled)
                  .addEnabledSaslMechanism("PLAIN")
                  .setUsernameAndPassword(senderId + "@gcm.googleapis.com", key)
                  .setResource("ceiling-" + i)
                  .setSendPresence(false)
                  .build());
      connection.addSyncStanzaListener(
          stanza -> ack(connection, stanza), new StanzaExtensionFilter(ELEMENT, NAMESPACE));
      connection.connect().login();
      ceiling.connections.add(connection);
    }
    return ceiling;
  }

  private static void ack(XMPPTCPConnection connection, Stanza stanza) {
    ExtensionElement gcm = stanza.getExtension(ELEMENT, NAMESPACE);
    JsonObject json;
    try (JsonReader reader =
        JSON.createReader(new StringReader(((StandardExtensionElement) gcm).getText()))) {
      json = reader.readObject();
    }
    if (json.containsKey("message_type")) {
      return;
    }
    String ack =
        JSON.createObjectBuilder()
            .add("to", json.getString("from"))
            .add("message_id", json.getString("message_id"))
            .add("message_type", "ack")
            .build()
            .toString();
    Message message =
        connection
            .getStanzaFactory()
            .buildMessageStanza()
            .addExtension(StandardExtensionElement.builder(ELEMENT, NAMESPACE).setText(ack).build())
            .build();
    try {
      connection.sendStanza(message);
    } catch (SmackException.NotConnectedException e) {
      // The connection is closing at the end of the run; the emulator redelivers if it matters.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    connections.forEach(XMPPTCPConnection::disconnect);
  }
}
