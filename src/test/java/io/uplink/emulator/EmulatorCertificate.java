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
import java.security.PrivateKey;
import java.security.PublicKey;
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
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The emulator's TLS identity, made fresh at start, and the trust material a client needs: a PKCS12
 * trust store file with its password, and a ready {@link SSLContext}.
 *
 * <p>Normally the emulator presents a self-signed certificate (CN {@code localhost}; SANs {@code
 * localhost}, {@code 127.0.0.1} and the service domain) and the trust store holds exactly that
 * certificate. Two faults let gateway tests check that TLS is really verified:
 *
 * <ul>
 *   <li>a host name: the presented certificate names only that host, so a client connecting to
 *       127.0.0.1 or localhost must refuse it when it checks host names, although it trusts it;
 *   <li>an untrusted issuer: the presented certificate is issued by a CA of its own that the trust
 *       store does not hold (the trust store holds another certificate with the same names), so a
 *       client that validates the chain must refuse it.
 * </ul>
 *
 * <p>Immutable after creation; {@link #deleteTrustStore()} removes the file when the emulator
 * stops.
 */
final class EmulatorCertificate {

  private static final String ALIAS = "ccs-emulator";
  private static final X500Name UNTRUSTED_CA = new X500Name("CN=Untrusted CCS Emulator CA");

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
   * Creates the key pairs, certificates and trust store.
   *
   * @param trustStoreDirectory where to write the trust store, or {@code null} for a temporary file
   * @param onlyHostName the single DNS name the presented certificate is issued for, or {@code
   *     null} for the usual names
   * @param untrustedIssuer whether the presented certificate comes from a CA the trust store lacks
   */
  static EmulatorCertificate create(
      String domain, Path trustStoreDirectory, String onlyHostName, boolean untrustedIssuer)
      throws IOException {
    try {
      SecureRandom random = new SecureRandom();
      X500Name subject = new X500Name("CN=" + (onlyHostName == null ? "localhost" : onlyHostName));
      GeneralNames names =
          onlyHostName == null
              ? new GeneralNames(
                  new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, domain)
                  })
              : new GeneralNames(new GeneralName(GeneralName.dNSName, onlyHostName));
      KeyPair keys = keyPair(random);
      X509Certificate presented;
      Certificate[] chain;
      X509Certificate trusted;
      if (untrustedIssuer) {
        KeyPair caKeys = keyPair(random);
        X509Certificate ca =
            issue(
                UNTRUSTED_CA, caKeys.getPrivate(), UNTRUSTED_CA, caKeys.getPublic(), null, random);
        presented =
            issue(UNTRUSTED_CA, caKeys.getPrivate(), subject, keys.getPublic(), names, random);
        chain = new Certificate[] {presented, ca};
        KeyPair expected = keyPair(random);
        trusted =
            issue(subject, expected.getPrivate(), subject, expected.getPublic(), names, random);
      } else {
        presented = issue(subject, keys.getPrivate(), subject, keys.getPublic(), names, random);
        chain = new Certificate[] {presented};
        trusted = presented;
      }
      char[] keyPassword = "emulator".toCharArray();

      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry(ALIAS, keys.getPrivate(), keyPassword, chain);
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(identity, keyPassword);
      SSLContext serverContext = SSLContext.getInstance("TLS");
      serverContext.init(keyManagers.getKeyManagers(), null, random);

      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(ALIAS, trusted);
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
      return new EmulatorCertificate(presented, serverContext, clientContext, file, password);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the emulator's TLS certificate", e);
    }
  }

  private static KeyPair keyPair(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256, random);
    return generator.generateKeyPair();
  }

  /**
   * Issues a certificate valid from an hour ago for two days: a CA certificate when {@code names}
   * is {@code null}, else an end-entity certificate for those names.
   */
  private static X509Certificate issue(
      X500Name issuer,
      PrivateKey issuerKey,
      X500Name subject,
      PublicKey subjectKey,
      GeneralNames names,
      SecureRandom random)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(64, random),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(2))),
            subject,
            subjectKey);
    if (names == null) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(Extension.subjectAlternativeName, false, names);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  /** The certificate the emulator presents to clients. */
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
