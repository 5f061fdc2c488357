package io.uplink.xmpp;

import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaExtensionFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.ping.PingManager;

/**
 * Opens the streams of one connection slot: direct TLS through the pool's socket factory, SASL
 * PLAIN with the sender's ID and server key, a resource of the slot's own; and wires each stream's
 * {@code <gcm>} stanzas to the dispatcher and its end (Smack's report or an unanswered ping, §4.6)
 * to the slot. Stateless apart from its settings; the slot calls it from one attempt at a time.
 */
final class StreamFactory {

  private static final StanzaFilter GCM_STANZAS =
      new StanzaExtensionFilter(GcmElement.ELEMENT, GcmElement.NAMESPACE);

  private final PoolContext context;
  private final CcsSettings ccs;
  private final SenderSettings sender;
  private final InboundDispatcher dispatcher;

  StreamFactory(PoolContext context, SenderSettings sender, InboundDispatcher dispatcher) {
    this.context = context;
    this.ccs = context.ccs();
    this.sender = sender;
    this.dispatcher = dispatcher;
  }

  /**
   * Connects, authenticates and binds a new stream whose stanzas and end go to the slot, and pings
   * it when idle.
   */
  CcsStream open(ConnectionSlot slot)
      throws IOException, SmackException, XMPPException, InterruptedException {
    XMPPTCPConnection connection = new XMPPTCPConnection(configuration(slot.index()));
    CcsStream stream = new CcsStream(connection, context, slot.activity());
    connection.addConnectionListener(new StreamEnd(slot, stream));
    connection.addSyncStanzaListener(
        stanza -> dispatcher.dispatch((Message) stanza, stream, slot), GCM_STANZAS);
    connection.setParsingExceptionCallback(dispatcher.unparsableCallback(slot));
    try {
      connection.connect().login();
      PingManager pings = PingManager.getInstanceFor(connection);
      pings.setPingInterval((int) Math.max(1, ccs.pingInterval().toSeconds()));
      pings.registerPingFailedListener(() -> slot.lost(stream, new IOException("ping unanswered")));
      return stream;
    } catch (Exception e) {
      connection.disconnect();
      throw e;
    }
  }

  /**
   * Why an attempt to open a stream failed, for a log line: the certificate the socket factory
   * refused, or else the exception.
   */
  String whyFailed(Exception cause) {
    return context
        .sockets()
        .certificateRefusal()
        .map(refusal -> "certificate refused: " + refusal)
        .orElseGet(() -> describe(cause));
  }

  /**
   * The cause for a log line. Smack's parser errors quote the XML they stopped in, which can hold
   * registration tokens, so a message that quotes XML is left out.
   */
  static String describe(Exception cause) {
    String message = cause.getMessage();
    boolean quotesXml = message != null && message.indexOf('<') >= 0;
    return cause.getClass().getSimpleName() + (message == null || quotesXml ? "" : ": " + message);
  }

  private XMPPTCPConnectionConfiguration configuration(int index) throws IOException {
    return XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(ccs.domain())
        .setHostAddress(InetAddress.getByName(ccs.host()))
        .setPort(ccs.port())
        .setSocketFactory(context.sockets())
        .setSecurityMode(SecurityMode.disabled)
        .addEnabledSaslMechanism("PLAIN")
        .setUsernameAndPassword(
            sender.senderId() + "@" + ccs.domain(), sender.serverKey().orElseThrow().value())
        .setResource(
            "uplink-" + index + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()))
        .setSendPresence(false)
        .setCompressionEnabled(false)
        .setConnectTimeout((int) ccs.connectTimeout().toMillis())
        .build();
  }

  /** Tells the slot when Smack reports one of its streams closed, cleanly or not. */
  private static final class StreamEnd implements ConnectionListener {

    private final ConnectionSlot slot;
    private final CcsStream stream;

    StreamEnd(ConnectionSlot slot, CcsStream stream) {
      this.slot = slot;
      this.stream = stream;
    }

    @Override
    public void connectionClosed() {
      slot.lost(stream, new IOException("stream closed by the server"));
    }

    @Override
    public void connectionClosedOnError(Exception e) {
      slot.lost(stream, e);
    }
  }
}
