package io.uplink.xmpp;

import io.uplink.api.UpstreamMessage;
import io.uplink.ccs.AckKey;
import io.uplink.ccs.CcsCodec;
import io.uplink.ccs.Inbound;
import io.uplink.ccs.RejectReason;
import io.uplink.downstream.DownstreamOutcomes;
import io.uplink.downstream.Outbound;
import io.uplink.downstream.ReceiptProcessor;
import io.uplink.upstream.UpstreamPipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.parsing.ParsingExceptionCallback;

/**
 * Decodes each {@code <gcm>} stanza of one sender's connections and routes it by JSON {@code
 * message_type} (ccs-protocol.md §2.2): upstream messages and rejects to the upstream pipeline,
 * downstream acks and nacks to the stream that sent the message, receipts to the receipt processor
 * (acked on their connection once handled), {@code CONNECTION_DRAINING} to the connection's slot.
 * Runs on Smack's reader threads, so it only decodes and queues. Thread-safe.
 */
final class InboundDispatcher {

  private static final Logger LOG = Logger.getLogger(InboundDispatcher.class.getName());

  private final String senderId;
  private final CcsCodec codec;
  private final UpstreamPipeline pipeline;
  private final DownstreamOutcomes outcomes;
  private final ReceiptProcessor receipts;

  InboundDispatcher(String senderId, PoolContext context) {
    this.senderId = senderId;
    this.codec = context.codec();
    this.pipeline = context.upstream();
    this.outcomes = context.outcomes();
    this.receipts = context.receipts();
  }

  void dispatch(Message stanza, CcsStream stream, ConnectionSlot slot) {
    if (stanza.getType() == Message.Type.error) {
      slot.activity().received(false);
      onStanzaError(stanza, stream, slot);
      return;
    }
    GcmElement gcm = stanza.getExtension(GcmElement.class);
    Inbound inbound = codec.decode(gcm.json());
    slot.activity()
        .received(inbound instanceof Inbound.Upstream || inbound instanceof Inbound.Rejected);
    if (inbound instanceof Inbound.Upstream upstream) {
      stream.upstream().arrived(new AckKey(upstream.from(), upstream.messageId()));
      pipeline.submit(toMessage(upstream), stream);
    } else if (inbound instanceof Inbound.Ack ack) {
      answered(stream, slot, ack.messageId()).ifPresent(message -> outcomes.acked(message, ack));
    } else if (inbound instanceof Inbound.Nack nack) {
      answered(stream, slot, nack.messageId()).ifPresent(message -> outcomes.nacked(message, nack));
    } else if (inbound instanceof Inbound.Rejected rejected) {
      stream.upstream().arrived();
      pipeline.reject(senderId, rejected, stream);
    } else if (inbound instanceof Inbound.Control control) {
      onControl(control, stream, slot);
    } else if (inbound instanceof Inbound.Receipt receipt) {
      stream.upstream().arrived(new AckKey(receipt.from(), receipt.messageId()));
      receipts.submit(senderId, receipt, stream);
    } else if (inbound instanceof Inbound.Unhandled unhandled) {
      LOG.info(
          slot
              + ": ignored a message of type '"
              + unhandled.messageType()
              + "' (message_id "
              + unhandled.messageId().orElse("none")
              + ")");
    }
  }

  /** Smack could not parse a stanza (bad XML inside {@code <gcm>}): count it and read on. */
  ParsingExceptionCallback unparsableCallback(ConnectionSlot slot) {
    return stanzaData ->
        pipeline.reject(
            senderId,
            new Inbound.Rejected(
                RejectReason.MALFORMED_XML,
                slot + ": " + stanzaData.getParsingException().getMessage(),
                Optional.empty()),
            key -> false);
  }

  /** The downstream message this stream sent with that id; an answer for another is logged. */
  private static Optional<Outbound> answered(
      CcsStream stream, ConnectionSlot slot, String messageId) {
    Optional<Outbound> message = Optional.ofNullable(stream.answered(messageId));
    if (message.isEmpty()) {
      LOG.warning(
          slot + ": CCS answered message " + messageId + ", which this stream has not pending");
    }
    return message;
  }

  private void onControl(Inbound.Control control, CcsStream stream, ConnectionSlot slot) {
    if (control.isConnectionDraining()) {
      slot.drain(stream);
    } else {
      LOG.info(slot + ": ignored control message '" + control.controlType() + "'");
    }
  }

  /**
   * A stanza error (§3.5) carries no JSON message id, only the stanza id it answers; downstream
   * messages are sent with their message id as stanza id, so the send they belong to fails.
   */
  private void onStanzaError(Message stanza, CcsStream stream, ConnectionSlot slot) {
    StanzaError error = stanza.getError();
    String description =
        error == null ? "unknown" : error.getCondition() + " " + error.getDescriptiveText();
    Outbound message = stanza.getStanzaId() == null ? null : stream.answered(stanza.getStanzaId());
    LOG.warning(slot + ": stanza error for stanza id " + stanza.getStanzaId() + ": " + description);
    outcomes.stanzaError(senderId, Optional.ofNullable(message), description);
  }

  private UpstreamMessage toMessage(Inbound.Upstream upstream) {
    return new UpstreamMessage(
        senderId,
        upstream.from(),
        upstream.category(),
        upstream.messageId(),
        upstream.data(),
        upstream.timeToLive().map(Duration::ofSeconds),
        Instant.now());
  }
}
