package io.uplink.emulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TLS socket factory for Smack's {@code setSocketFactory} that also checks the server's
 * certificate against the host connected to (HTTPS endpoint identification). Smack's own {@code
 * HostnameVerifier} is applied only after STARTTLS, so with direct TLS nothing checks the host name
 * unless the socket does it. Smack calls {@link #createSocket()} and then connects the unconnected
 * socket itself, which gives the TLS layer the host to check. Stateless; thread-safe.
 */
final class EndpointCheckingSocketFactory extends SocketFactory {

  private final SSLContext context;

  EndpointCheckingSocketFactory(SSLContext context) {
    this.context = context;
  }

  @Override
  public Socket createSocket() throws IOException {
    return configure(context.getSocketFactory().createSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return configure(context.getSocketFactory().createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return configure(context.getSocketFactory().createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return configure(context.getSocketFactory().createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return configure(
        context.getSocketFactory().createSocket(address, port, localAddress, localPort));
  }

  private static Socket configure(Socket socket) {
    SSLSocket tls = (SSLSocket) socket;
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(parameters);
    return tls;
  }
}
