package io.uplink.emulator;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

/**
 * The CCS side of one XMPP connection: stream headers and features, SASL PLAIN, resource binding,
 * IQs, and the {@code google:mobile:data} messages (ccs-protocol.md §1.3, §1.4, §2, §3). Runs as
 * the connection's reader thread from the TLS handshake until the connection ends; not shared.
 */
final class StreamSession implements Runnable {

  private static final String CLIENT_NAMESPACE = "jabber:client";
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private final EmulatedConnection connection;
  private final EmulatorContext context;
  private final GcmMessageHandler gcmMessages;
  private boolean headerSent;
  private EndAwareReader input;

  StreamSession(EmulatedConnection connection, EmulatorContext context) {
    this.connection = connection;
    this.context = context;
    this.gcmMessages = new GcmMessageHandler(connection, context);
  }

  @Override
  public void run() {
    String reason = "client closed the stream";
    boolean closeSocketNow = false;
    try {
      connection.handshake();
      input = new EndAwareReader(connection.inputReader());
      XMLInputFactory factory = StanzaReader.hardenedFactory();
      boolean restart = true;
      while (restart) {
        StanzaReader stream = StanzaReader.open(factory, input);
        XmlElement header = stream.readStreamHeader();
        connection.recordInbound(header.startTag());
        openStream(header);
        restart = readStanzas(stream);
      }
    } catch (StreamErrorException e) {
      failStream(e);
    } catch (SSLException e) {
      reason = "TLS failed: " + e.getMessage();
      closeSocketNow = true;
    } catch (XMLStreamException e) {
      if (connection.socketClosed()
          || (input != null && input.ended)
          || e.getNestedException() instanceof IOException) {
        reason = "connection lost: " + e.getMessage();
        closeSocketNow = true;
      } else {
        failStream(new StreamErrorException("invalid-xml", String.valueOf(e.getMessage())));
      }
    } catch (IOException e) {
      reason = "connection lost: " + e;
      closeSocketNow = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "emulator stopped";
      closeSocketNow = true;
    } catch (RuntimeException e) {
      reason = "emulator bug: " + e;
      closeSocketNow = true;
      context.recorder().violation(connection.id(), reason);
      throw e;
    } finally {
      connection.terminated(reason, closeSocketNow);
    }
  }

  /** Reads stanzas until the stream restarts (returns true) or ends (returns false). */
  private boolean readStanzas(StanzaReader stream)
      throws XMLStreamException, StreamErrorException, InterruptedException {
    while (true) {
      XmlElement element = stream.nextElement();
      connection.awaitResumed();
      if (connection.socketClosed()) {
        return false;
      }
      if (element == null) {
        clientClosedStream();
        return false;
      }
      connection.recordInbound(element.toXml(CLIENT_NAMESPACE));
      switch (connection.phase()) {
        case CONNECTED -> {
          if (!element.is("auth", Stanzas.SASL_NAMESPACE)) {
            throw new StreamErrorException(
                "not-authorized", "<" + element.name() + "> before authentication");
          }
          return authenticate(element);
        }
        case CLOSED -> {
          return false;
        }
        default -> dispatch(element);
      }
    }
  }

  private void openStream(XmlElement header) throws StreamErrorException {
    String to = header.attribute("to");
    String from = to == null ? context.domain() : to;
    connection.send(Stanzas.streamHeader(from, HEX.formatHex(randomBytes(8))));
    headerSent = true;
    if (!context.streamDomains().contains(from)) {
      throw new StreamErrorException("host-unknown", "stream to unknown domain " + from);
    }
    if (!"1.0".equals(header.attribute("version"))) {
      throw new StreamErrorException(
          "unsupported-version", "stream version " + header.attribute("version"));
    }
    connection.send(
        connection.phase() == EmulatedConnection.Phase.CONNECTED
            ? Stanzas.saslFeatures()
            : Stanzas.bindFeatures());
  }

  private boolean authenticate(XmlElement auth) {
    if (!"PLAIN".equals(auth.attribute("mechanism"))) {
      return refuse(null, "invalid-mechanism", "mechanism " + auth.attribute("mechanism"));
    }
    SaslPlain credentials;
    try {
      credentials = SaslPlain.decode(auth.text());
    } catch (IllegalArgumentException e) {
      return refuse(null, "incorrect-encoding", e.getMessage());
    }
    String user = credentials.authenticationId();
    int at = user.indexOf('@');
    String sender = at < 0 ? null : user.substring(0, at);
    String userDomain = at < 0 ? null : user.substring(at + 1);
    if (!"gcm.googleapis.com".equals(userDomain) && !"fcm.googleapis.com".equals(userDomain)) {
      return refuse(user, "not-authorized", "username is not SENDER_ID@gcm.googleapis.com");
    }
    if (!credentials.authorizationId().isEmpty() && !credentials.authorizationId().equals(user)) {
      return refuse(user, "invalid-authzid", "authzid differs from authcid");
    }
    if (context.loginsRefused().getAsBoolean()) {
      return refuse(user, "temporary-auth-failure", "logins refused during an outage");
    }
    String key = context.senderKeys().get(sender);
    if (key == null) {
      return refuse(user, "not-authorized", "unknown sender");
    }
    if (!MessageDigest.isEqual(
        key.getBytes(StandardCharsets.UTF_8),
        credentials.password().getBytes(StandardCharsets.UTF_8))) {
      return refuse(user, "not-authorized", "wrong key");
    }
    connection.authenticated(sender);
    connection.send(Stanzas.saslSuccess());
    return true;
  }

  private boolean refuse(String user, String condition, String reason) {
    context.recorder().authFailure(connection.id(), user, reason);
    connection.sendAndClose(
        Stanzas.saslFailure(condition) + Stanzas.STREAM_CLOSE, "authentication failed: " + reason);
    return false;
  }

  private void dispatch(XmlElement element) throws StreamErrorException {
    if (!element.namespace().equals(CLIENT_NAMESPACE)) {
      throw new StreamErrorException(
          "unsupported-stanza-type", "<" + element.name() + "> in " + element.namespace());
    }
    switch (element.name()) {
      case "iq" -> handleIq(element);
      case "message" -> {
        if (connection.phase() == EmulatedConnection.Phase.AUTHENTICATED) {
          throw new StreamErrorException("not-authorized", "message before resource binding");
        }
        gcmMessages.receive(element);
      }
      case "presence" -> {}
      default ->
          throw new StreamErrorException("unsupported-stanza-type", "<" + element.name() + ">");
    }
  }

  private void handleIq(XmlElement iq) {
    String type = iq.attribute("type");
    String id = iq.attribute("id");
    String to = iq.attribute("to");
    if ("result".equals(type) || "error".equals(type)) {
      return;
    }
    XmlElement payload = iq.children().isEmpty() ? null : iq.children().get(0);
    if (id == null || payload == null || !("get".equals(type) || "set".equals(type))) {
      connection.send(Stanzas.iqError(id, to, connection.jid(), "modify", "bad-request"));
    } else if ("set".equals(type) && payload.is("bind", Stanzas.BIND_NAMESPACE)) {
      bind(id, to, payload);
    } else if ("set".equals(type) && payload.is("session", Stanzas.SESSION_NAMESPACE)) {
      answerSession(Stanzas.iqResult(id, to, connection.jid()));
    } else if ("get".equals(type) && payload.is("ping", Stanzas.PING_NAMESPACE)) {
      connection.send(Stanzas.iqResult(id, to, connection.jid()));
    } else {
      connection.send(Stanzas.iqError(id, to, connection.jid(), "cancel", "service-unavailable"));
    }
  }

  private void answerSession(String result) {
    Duration delay = context.sessionReplyDelay().get();
    if (delay.isZero()) {
      connection.send(result);
    } else {
      context
          .timer()
          .schedule(() -> connection.send(result), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void bind(String id, String to, XmlElement bind) {
    if (connection.phase() != EmulatedConnection.Phase.AUTHENTICATED) {
      connection.send(Stanzas.iqError(id, to, connection.jid(), "cancel", "not-allowed"));
      return;
    }
    String requested =
        bind.child("resource", Stanzas.BIND_NAMESPACE).map(r -> r.text().strip()).orElse("");
    String resource =
        (requested.isEmpty() ? "emulator" : requested) + HEX.formatHex(randomBytes(4));
    String jid = connection.senderId() + "@" + context.domain() + "/" + resource;
    connection.send(Stanzas.bindResult(id, jid));
    connection.bound(jid);
  }

  private void clientClosedStream() {
    if (connection.beginClosing("client closed the stream")) {
      connection.send(Stanzas.STREAM_CLOSE);
    }
  }

  private void failStream(StreamErrorException error) {
    String text =
        (headerSent ? "" : Stanzas.streamHeader(context.domain(), HEX.formatHex(randomBytes(8))))
            + Stanzas.streamError(error.condition())
            + Stanzas.STREAM_CLOSE;
    connection.sendAndClose(text, "stream error " + error.condition() + ": " + error.getMessage());
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  /** Remembers that the client's byte stream ended, to tell a closed socket from malformed XML. */
  private static final class EndAwareReader extends FilterReader {
    private boolean ended;

    EndAwareReader(Reader in) {
      super(in);
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      int count = super.read(buffer, offset, length);
      ended |= count < 0;
      return count;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      ended |= c < 0;
      return c;
    }
  }
}
