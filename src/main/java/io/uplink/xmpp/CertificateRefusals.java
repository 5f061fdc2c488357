package io.uplink.xmpp;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JVM's trust manager, remembering why it refused a server's certificate (an untrusted issuer,
 * a name that is not the configured host) per socket. Smack may report a refused handshake as "the
 * connection has closed" from whichever of its threads noticed first; the connection's log line
 * then still says the real reason. Thread-safe.
 */
final class CertificateRefusals extends X509ExtendedTrustManager {

  private final X509ExtendedTrustManager trust;
  private final Map<Socket, String> refusals = Collections.synchronizedMap(new WeakHashMap<>());

  CertificateRefusals(X509ExtendedTrustManager trust) {
    this.trust = trust;
  }

  /** Why the server's certificate on this socket was refused, if it was. */
  Optional<String> refusalOf(Socket socket) {
    return Optional.ofNullable(refusals.get(socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      trust.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      refusals.put(socket, String.valueOf(e.getMessage()));
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    trust.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    trust.checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    trust.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    trust.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    trust.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return trust.getAcceptedIssuers();
  }
}
