package io.uplink.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads the trust a TLS client is configured with, for CCS's connections and for FCM's HTTP v1 API
 * alike: a PKCS12 trust store, or the JVM's default trust when none is given. Stateless.
 */
public final class TrustStores {

  private TrustStores() {}

  /**
   * Trust managers for the store, or for the JVM's default trust.
   *
   * @param password required with a store (the settings readers check that)
   */
  public static TrustManagerFactory trustManagers(Optional<Path> store, Optional<Secret> password)
      throws IOException, GeneralSecurityException {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (store.isEmpty()) {
      trust.init((KeyStore) null);
      return trust;
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store.get())) {
      keys.load(in, password.orElseThrow().toCharArray());
    }
    trust.init(keys);
    return trust;
  }
}
