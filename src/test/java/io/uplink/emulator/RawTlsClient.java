package io.uplink.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLSocket;

/**
 * A hand-driven TLS client that writes whatever text a test gives it, for the cases Smack cannot
 * produce: hostile XML, stanzas out of order. Not thread-safe; one per test; close it.
 */
final class RawTlsClient implements AutoCloseable {

  static final String STREAM_HEADER =
      "<stream:stream to=\"gcm.googleapis.com\" version=\"1.0\" xmlns=\"jabber:client\""
          + " xmlns:stream=\"http://etherx.jabber.org/streams\">";

  private final SSLSocket socket;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  RawTlsClient(CcsEmulator emulator) throws IOException {
    socket =
        (SSLSocket)
            emulator
                .clientSslContext()
                .getSocketFactory()
                .createSocket(emulator.host(), emulator.port());
    socket.startHandshake();
  }

  static String plainAuth(String user, String key) {
    String response = "\0" + user + "\0" + key;
    return "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">"
        + Base64.getEncoder().encodeToString(response.getBytes(StandardCharsets.UTF_8))
        + "</auth>";
  }

  /** Authenticates and binds a resource; returns the text read so far. */
  String bind(String senderId, String key, Duration timeout) throws IOException {
    send(STREAM_HEADER + plainAuth(senderId + "@gcm.googleapis.com", key));
    readUntil("<success", timeout);
    send(
        STREAM_HEADER
            + "<iq type=\"set\" id=\"bind-1\"><bind"
            + " xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"/></iq>");
    return readUntil("</jid>", timeout);
  }

  void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /**
   * Reads until {@code expected} has arrived (returns all text read so far) or the timeout passes.
   */
  String readUntil(String expected, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    while (!text().contains(expected) && System.nanoTime() < deadline) {
      socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      try {
        int count = in.read(buffer);
        if (count < 0) {
          break;
        }
        received.write(buffer, 0, count);
      } catch (SocketTimeoutException e) {
        break;
      }
    }
    return text();
  }

  /** Reads until the emulator closes the connection; true if it did within the timeout. */
  boolean awaitClosedByServer(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    while (System.nanoTime() < deadline) {
      socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      try {
        int count = in.read(buffer);
        if (count < 0) {
          return true;
        }
        received.write(buffer, 0, count);
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  String text() {
    return received.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
