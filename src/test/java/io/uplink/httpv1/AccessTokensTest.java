package io.uplink.httpv1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.config.HttpV1Account;
import io.uplink.config.Secret;
import io.uplink.emulator.FcmHttpEmulator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access tokens from a service account, obtained over real TLS from the emulator's token endpoint,
 * which checks the signed assertion.
 */
class AccessTokensTest {

  @TempDir Path directory;
  private FcmHttpEmulator fcm;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @BeforeEach
  void start() {
    fcm = FcmHttpEmulator.start("uplink-test", directory);
  }

  @AfterEach
  void stop() throws InterruptedException {
    fcm.close();
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  private AccessTokens tokens(String serviceAccountJson) throws Exception {
    HttpV1Account account =
        new HttpV1Account(
            "uplink-test", new Secret(serviceAccountJson), fcm.baseUrl(), fcm.tokenUrl(), 10);
    return AccessTokens.of("1234", account, trusting(fcm.trustStore(), fcm.trustStorePassword()));
  }

  @Test
  void aTokenIsObtainedOnceAndReplacedOnlyWhenFcmRefusedIt() throws Exception {
    AccessTokens tokens = tokens(Files.readString(fcm.serviceAccountFile()));

    String first = tokens.token(executor).join();
    assertTrue(first.startsWith("ya29."), "an access token");
    assertEquals(first, tokens.token(executor).join(), "still valid, so reused");
    assertEquals(1, fcm.tokenGrants());

    String second = tokens.replace(first, executor).join();
    assertNotEquals(first, second);
    assertEquals(second, tokens.token(executor).join());
    assertEquals(
        second, tokens.replace(first, executor).join(), "an old token's refusal changes nothing");
    assertEquals(2, fcm.tokenGrants());
  }

  @Test
  void aTokenAboutToExpireIsReplacedBeforeFcmWouldRefuseIt() throws Exception {
    fcm.accessTokenLifetime(Duration.ofSeconds(62));
    AccessTokens tokens = tokens(Files.readString(fcm.serviceAccountFile()));

    String first = tokens.token(executor).join();
    Thread.sleep(1_500);
    String second = tokens.token(executor).join();

    assertNotEquals(first, second, "less than a minute left: replaced");
    assertEquals(2, fcm.tokenGrants());
  }

  @Test
  void anAssertionSignedWithAnotherKeyIsRefusedAndTheErrorHoldsNoKey() throws Exception {
    String otherAccount;
    try (FcmHttpEmulator other = FcmHttpEmulator.start("uplink-test", directory.resolve("other"))) {
      otherAccount = Files.readString(other.serviceAccountFile());
    }
    String foreign =
        otherAccount.replaceAll(
            "\"token_uri\":\"[^\"]*\"", "\"token_uri\":\"" + fcm.tokenUrl() + "\"");
    AccessTokens tokens = tokens(foreign);

    CompletionException refused =
        assertThrows(CompletionException.class, () -> tokens.token(executor).join());

    assertEquals(1, fcm.tokenRefusals());
    String text = String.valueOf(refused.getCause().getMessage());
    assertTrue(text.contains("invalid_grant"), text);
    assertFalse(text.contains("PRIVATE KEY"), "no key in the error");
  }

  @Test
  void somethingOtherThanAServiceAccountKeyIsAConfigurationError() {
    RuntimeException refused =
        assertThrows(RuntimeException.class, () -> tokens("{\"type\":\"authorized_user\"}"));
    assertTrue(refused.getMessage().contains("not a service account"), refused.getMessage());
  }

  private static SSLContext trusting(Path trustStore, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trustStore)) {
      store.load(in, password.toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
