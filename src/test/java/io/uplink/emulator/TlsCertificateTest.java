package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The certificate faults gateway tests use to check that TLS is verified: a client that trusts
 * {@link CcsEmulator#trustStore()} and checks host names (HTTPS endpoint identification) accepts
 * the normal certificate and refuses one for another host or from an untrusted CA.
 */
class TlsCertificateTest {

  private static final List<String> HOSTS = List.of("127.0.0.1", "localhost");

  private CcsEmulator emulator;

  private void start(UnaryOperator<CcsEmulator.Builder> configuration) {
    emulator = configuration.apply(CcsEmulator.builder().sender("1234", "key-1")).build().start();
  }

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  /** An SSLContext built only from the trust store file the emulator hands out. */
  private SSLContext trustStoreContext() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(emulator.trustStore())) {
      trust.load(in, emulator.trustStorePassword().toCharArray());
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** Connects with host name checking and completes the TLS handshake; returns the peer's leaf. */
  private Certificate handshakeCheckingHost(String host) throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            new EndpointCheckingSocketFactory(trustStoreContext())
                .createSocket(host, emulator.port())) {
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  private void handshakeWithoutHostCheck(String host) throws Exception {
    try (SSLSocket socket =
        (SSLSocket) trustStoreContext().getSocketFactory().createSocket(host, emulator.port())) {
      socket.startHandshake();
    }
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Test
  void normalCertificateIsAcceptedWithHostNameChecking() throws Exception {
    start(b -> b);
    for (String host : HOSTS) {
      assertEquals(emulator.certificate(), handshakeCheckingHost(host), host);
    }
  }

  @Test
  void certificateForAnotherHostIsRefusedByHostNameCheckingOnly() throws Exception {
    start(b -> b.certificateHostName("wrong.example.org"));
    for (String host : HOSTS) {
      SSLHandshakeException refused =
          assertThrows(SSLHandshakeException.class, () -> handshakeCheckingHost(host), host);
      assertTrue(
          rootCause(refused) instanceof CertificateException
              && rootCause(refused).getMessage().contains("No subject alternative"),
          host + ": " + rootCause(refused));
      handshakeWithoutHostCheck(host);
    }
    assertEquals(
        "CN=wrong.example.org", emulator.certificate().getSubjectX500Principal().getName());
  }

  @Test
  void certificateFromAnUntrustedCaIsRefused() throws Exception {
    start(b -> b.untrustedCertificate(true));
    for (String host : HOSTS) {
      SSLHandshakeException refused =
          assertThrows(SSLHandshakeException.class, () -> handshakeCheckingHost(host), host);
      assertTrue(
          String.valueOf(refused.getMessage()).contains("PKIX"),
          host + ": " + refused.getMessage());
      assertThrows(SSLHandshakeException.class, () -> handshakeWithoutHostCheck(host), host);
    }
    assertEquals(
        "CN=Untrusted CCS Emulator CA", emulator.certificate().getIssuerX500Principal().getName());
    assertNotEquals(
        emulator.certificate().getSubjectX500Principal(),
        emulator.certificate().getIssuerX500Principal());
  }

  @Test
  void certificateHostNameMustBeADnsName() {
    assertThrows(
        IllegalArgumentException.class,
        () -> CcsEmulator.builder().certificateHostName("wrong example"));
  }
}
