package io.uplink.httpv1;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.uplink.config.HttpV1Account;
import io.uplink.config.InvalidConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * OAuth 2.0 access tokens for one sender's service account, scoped to Firebase Cloud Messaging,
 * obtained and refreshed by Google's auth library (a JWT assertion signed with the account's key,
 * sent to the token URL). A token valid for another minute is used as it is; otherwise it is
 * refreshed off the caller's thread. Neither the key nor a token is ever logged. Thread-safe (the
 * library's credentials are).
 */
final class AccessTokens {

  static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
  private static final Duration STILL_VALID = Duration.ofMinutes(1);

  private final GoogleCredentials credentials;

  private AccessTokens(GoogleCredentials credentials) {
    this.credentials = credentials;
  }

  /**
   * Loads the sender's service account.
   *
   * @throws InvalidConfigurationException when it is not a service account's JSON key
   */
  static AccessTokens of(String senderId, HttpV1Account account, SSLContext tls) {
    NetHttpTransport transport =
        new NetHttpTransport.Builder().setSslSocketFactory(tls.getSocketFactory()).build();
    byte[] json = account.serviceAccount().value().getBytes(StandardCharsets.UTF_8);
    try {
      GoogleCredentials credentials =
          ServiceAccountCredentials.fromStream(new ByteArrayInputStream(json), () -> transport)
              .toBuilder()
              .setScopes(List.of(SCOPE))
              .setTokenServerUri(account.tokenUrl())
              .setHttpTransportFactory(() -> transport)
              .build();
      return new AccessTokens(credentials);
    } catch (IOException | RuntimeException e) {
      throw new InvalidConfigurationException(
          List.of(
              "the HTTP v1 service account of sender "
                  + senderId
                  + " is not a service account's JSON key ("
                  + e.getClass().getSimpleName()
                  + ")"));
    }
  }

  /** A token valid for at least another minute: at once if there is one, else after a refresh. */
  CompletableFuture<String> token(Executor executor) {
    Optional<String> cached = cached();
    return cached.isPresent()
        ? CompletableFuture.completedFuture(cached.get())
        : CompletableFuture.supplyAsync(this::refreshed, executor);
  }

  /**
   * FCM refused {@code used}: a new token, unless {@code used} was replaced meanwhile, in which
   * case its replacement.
   */
  CompletableFuture<String> replace(String used, Executor executor) {
    return CompletableFuture.supplyAsync(() -> refreshUnlessReplaced(used), executor);
  }

  private Optional<String> cached() {
    AccessToken token = credentials.getAccessToken();
    if (token == null || token.getExpirationTime() == null) {
      return Optional.empty();
    }
    Instant expires = token.getExpirationTime().toInstant();
    return expires.isAfter(Instant.now().plus(STILL_VALID))
        ? Optional.of(token.getTokenValue())
        : Optional.empty();
  }

  /** One refresh at a time: requests that find no token wait for the one being fetched. */
  private synchronized String refreshed() {
    return cached().orElseGet(this::refresh);
  }

  private synchronized String refreshUnlessReplaced(String used) {
    return cached().filter(token -> !token.equals(used)).orElseGet(this::refresh);
  }

  private String refresh() {
    try {
      credentials.refresh();
      return credentials.getAccessToken().getTokenValue();
    } catch (IOException e) {
      throw new NoAccessTokenException(e);
    }
  }
}
