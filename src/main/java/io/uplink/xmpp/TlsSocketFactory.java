package io.uplink.xmpp;

import io.uplink.config.CcsSettings;
import io.uplink.config.TrustStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Opens the direct-TLS sockets CCS requires (ccs-protocol.md §1.2: TLS at once, no STARTTLS), with
 * the server's certificate checked against the configured trust and its name checked against the
 * configured host, and SNI set. Thread-safe.
 */
final class TlsSocketFactory extends SocketFactory {

  private final SSLSocketFactory delegate;
  private final String host;
  private final CertificateRefusals refusals;
  private final ThreadLocal<Socket> lastCreated = new ThreadLocal<>();

  private TlsSocketFactory(SSLSocketFactory delegate, String host, CertificateRefusals refusals) {
    this.delegate = delegate;
    this.host = host;
    this.refusals = refusals;
  }

  /** A factory trusting the configured PKCS12 trust store, or the JVM's default trust. */
  static TlsSocketFactory forSettings(CcsSettings settings) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManagerFactory trust =
          TrustStores.trustManagers(settings.trustStore(), settings.trustStorePassword());
      CertificateRefusals refusals = new CertificateRefusals(extended(trust));
      context.init(null, new TrustManager[] {refusals}, null);
      return new TlsSocketFactory(context.getSocketFactory(), settings.host(), refusals);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "uplink.ccs.trust-store: cannot load "
              + settings.trustStore().map(Object::toString).orElse("the default trust")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public Socket createSocket() throws IOException {
    return configure(delegate.createSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return configure(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return configure(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return configure(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return configure(delegate.createSocket(address, port, localAddress, localPort));
  }

  /**
   * Why the server's certificate was refused on the socket this thread created last, if it was, and
   * forgets that socket: a connection attempt runs on one thread, which creates its socket through
   * this factory and asks this once the attempt failed.
   */
  Optional<String> certificateRefusal() {
    Socket socket = lastCreated.get();
    lastCreated.remove();
    return socket == null ? Optional.empty() : refusals.refusalOf(socket);
  }

  private static X509ExtendedTrustManager extended(TrustManagerFactory trust) {
    return Arrays.stream(trust.getTrustManagers())
        .filter(X509ExtendedTrustManager.class::isInstance)
        .map(X509ExtendedTrustManager.class::cast)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the JVM offers no X509 trust manager"));
  }

  private Socket configure(Socket socket) {
    lastCreated.set(socket);
    SSLSocket ssl = (SSLSocket) socket;
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!isIpLiteral(host)) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(parameters);
    return ssl;
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }
}
