package io.uplink.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The emulator's self-signed TLS identity (CN {@code localhost}; SANs {@code localhost}, {@code
 * 127.0.0.1} and the service domain), made fresh at start, and the trust material a client needs: a
 * PKCS12 trust store file with its password, and a ready {@link SSLContext}.
 *
 * <p>Immutable after creation; {@link #deleteTrustStore()} removes the file when the emulator
 * stops.
 */
final class EmulatorCertificate {

  private static final String ALIAS = "ccs-emulator";

  private final X509Certificate certificate;
  private final SSLContext serverContext;
  private final SSLContext clientContext;
  private final Path trustStore;
  private final String trustStorePassword;

  private EmulatorCertificate(
      X509Certificate certificate,
      SSLContext serverContext,
      SSLContext clientContext,
      Path trustStore,
      String trustStorePassword) {
    this.certificate = certificate;
    this.serverContext = serverContext;
    this.clientContext = clientContext;
    this.trustStore = trustStore;
    this.trustStorePassword = trustStorePassword;
  }

  /**
   * Creates the key pair, certificate and trust store.
   *
   * @param trustStoreDirectory where to write the trust store, or {@code null} for a temporary file
   */
  static EmulatorCertificate create(String domain, Path trustStoreDirectory) throws IOException {
    try {
      SecureRandom random = new SecureRandom();
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256, random);
      KeyPair keys = generator.generateKeyPair();
      X509Certificate certificate = selfSigned(keys, domain, random);
      char[] keyPassword = "emulator".toCharArray();

      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry(ALIAS, keys.getPrivate(), keyPassword, new Certificate[] {certificate});
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(identity, keyPassword);
      SSLContext serverContext = SSLContext.getInstance("TLS");
      serverContext.init(keyManagers.getKeyManagers(), null, random);

      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(ALIAS, certificate);
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      SSLContext clientContext = SSLContext.getInstance("TLS");
      clientContext.init(null, trustManagers.getTrustManagers(), random);

      byte[] secret = new byte[12];
      random.nextBytes(secret);
      String password = HexFormat.of().formatHex(secret);
      Path file =
          trustStoreDirectory == null
              ? Files.createTempFile("ccs-emulator-truststore-", ".p12")
              : Files.createDirectories(trustStoreDirectory).resolve("ccs-emulator-truststore.p12");
      try (OutputStream out = Files.newOutputStream(file)) {
        trust.store(out, password.toCharArray());
      }
      return new EmulatorCertificate(certificate, serverContext, clientContext, file, password);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the emulator's TLS certificate", e);
    }
  }

  private static X509Certificate selfSigned(KeyPair keys, String domain, SecureRandom random)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name name = new X500Name("CN=localhost");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(64, random),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(2))),
            name,
            keys.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, domain)
            }));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  X509Certificate certificate() {
    return certificate;
  }

  SSLContext serverContext() {
    return serverContext;
  }

  SSLContext clientContext() {
    return clientContext;
  }

  Path trustStore() {
    return trustStore;
  }

  String trustStorePassword() {
    return trustStorePassword;
  }

  void deleteTrustStore() {
    try {
      Files.deleteIfExists(trustStore);
    } catch (IOException e) {
      // A leftover trust store in a temp directory does no harm.
    }
  }
}
