package io.uplink.xmpp;

import io.uplink.ccs.AckKey;
import io.uplink.downstream.Outbound;
import io.uplink.stats.Latency;
import io.uplink.stats.Total;
import io.uplink.upstream.Acknowledger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;

/**
 * One XMPP stream to CCS and what is scoped to it: acks of upstream messages go out on the stream
 * they came in on (ccs-protocol.md §3.7), and downstream messages are answered on the stream that
 * sent them, within its window (§4.1). Its {@link UpstreamWindow} tells whether CCS has stopped
 * sending on it. Thread-safe.
 */
final class CcsStream implements Acknowledger {

  private final XMPPTCPConnection connection;
  private final PoolContext context;
  private final DownstreamWindow window;
  private final SlotActivity activity;
  private final UpstreamWindow upstream = new UpstreamWindow();

  CcsStream(XMPPTCPConnection connection, PoolContext context, SlotActivity activity) {
    this.connection = connection;
    this.context = context;
    this.activity = activity;
    this.window = new DownstreamWindow(context.downstream().window());
  }

  XMPPTCPConnection connection() {
    return connection;
  }

  /**
   * Acks an upstream message or receipt on this stream; false when the stream is gone. Allowed
   * while the stream is connected, before Smack's login has completed: CCS delivers right after
   * resource binding, ahead of its answer to the session request (so anything to ack arrived on a
   * bound stream), and an ack refused then would leave the message to CCS's redelivery.
   */
  @Override
  public boolean ack(AckKey key) {
    upstream.acked(key);
    return send(connection.getStanzaFactory().buildMessageStanza(), context.codec().ack(key));
  }

  @Override
  public void leftUnacked(AckKey key) {
    upstream.givenBack(key);
  }

  /** The upstream messages and receipts this stream carried that are not acked yet. */
  UpstreamWindow upstream() {
    return upstream;
  }

  /** Sends a downstream message if this stream's window has room; false otherwise. */
  boolean trySend(Outbound message) {
    if (!connection.isAuthenticated() || !window.tryAdd(message)) {
      return false;
    }
    if (!send(StanzaBuilder.buildMessage(message.messageId()), message.jsonAt(Instant.now()))) {
      window.remove(message.messageId());
      return false;
    }
    context.counters().count(Total.DOWNSTREAM_SENT, message.senderId());
    activity.sent();
    return true;
  }

  /** The message CCS answered on this stream, or null if this stream did not send it. */
  Outbound answered(String messageId) {
    DownstreamWindow.Sent sent = window.remove(messageId);
    if (sent == null) {
      return null;
    }
    context.room().signal();
    context
        .counters()
        .record(
            Latency.DOWNSTREAM_SEND_TO_ACK,
            Duration.ofNanos(System.nanoTime() - sent.sentAtNanos()));
    return sent.message();
  }

  /**
   * Closes the stream for good as its slot closes: what its window held stays pending in the outbox
   * and is sent again after the next start, not now.
   */
  void close() {
    window.close();
    connection.disconnect();
  }

  /**
   * Shuts down a stream that ended and hands the downstream messages CCS never answered on it to
   * the outcomes to be sent again (§4.3).
   *
   * @return why it ended and how many messages go out again, for the slot's log line
   */
  String shutDown(Exception cause) {
    connection.instantShutdown();
    List<Outbound> unanswered = window.close();
    if (!unanswered.isEmpty()) {
      context.outcomes().unanswered(unanswered);
    }
    String why = StreamFactory.describe(cause);
    return unanswered.isEmpty()
        ? why
        : why + "; resending " + unanswered.size() + " unanswered downstream message(s)";
  }

  int pending() {
    return window.size();
  }

  /**
   * Sends the JSON in a {@code <message>}. Downstream messages use their {@code message_id} as
   * stanza id, so that a stanza error, which only echoes the stanza id (§3.5), finds its message.
   */
  private boolean send(MessageBuilder builder, String json) {
    if (!connection.isConnected()) {
      return false;
    }
    Message stanza = builder.addExtension(new GcmElement(json)).build();
    try {
      connection.sendStanza(stanza);
      return true;
    } catch (SmackException.NotConnectedException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
