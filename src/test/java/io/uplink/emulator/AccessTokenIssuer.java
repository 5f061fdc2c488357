package io.uplink.emulator;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's OAuth 2.0 token endpoint for service accounts, as the HTTP v1 emulator plays it: a
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} request whose {@code assertion} is
 * a JWT signed RS256 with the service account's key, issued by its {@code client_email}, for the
 * token URL as audience, with the Firebase Messaging scope, valid now and for at most an hour, gets
 * an access token; anything else gets {@code 400 invalid_grant} with the reason, and so does every
 * request while a test has disabled the account. Issued tokens expire after the configured
 * lifetime, or when a test revokes them all. Thread-safe.
 */
final class AccessTokenIssuer {

  static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
  private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  /** The audience Google expects, which its auth library names whatever the token URL. */
  private static final String GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private final ServiceAccountKey account;
  private final URI tokenUrl;
  private final JsonProvider json = JsonProvider.provider();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> issued = new ConcurrentHashMap<>();
  private final AtomicInteger grants = new AtomicInteger();
  private final AtomicInteger refusals = new AtomicInteger();
  private volatile Duration lifetime = Duration.ofHours(1);
  private volatile boolean accountDisabled;

  AccessTokenIssuer(ServiceAccountKey account, URI tokenUrl) {
    this.account = account;
    this.tokenUrl = tokenUrl;
  }

  /** The answer to a token request: status and JSON body. */
  record Reply(int status, String body) {}

  Reply exchange(String form) {
    Map<String, String> fields = formFields(form);
    if (!GRANT.equals(fields.get("grant_type"))) {
      return refuse("unsupported_grant_type", "Invalid grant_type: " + fields.get("grant_type"));
    }
    if (accountDisabled) {
      return refuse("invalid_grant", "Invalid JWT Signature.");
    }
    String problem = checkAssertion(fields.getOrDefault("assertion", ""));
    if (problem != null) {
      return refuse("invalid_grant", problem);
    }
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    String token = "ya29.emulated-" + HexFormat.of().formatHex(secret);
    issued.put(token, Instant.now().plus(lifetime));
    grants.incrementAndGet();
    long seconds = Math.max(1, lifetime.toSeconds() - 1);
    return new Reply(
        200,
        json.createObjectBuilder()
            .add("access_token", token)
            .add("expires_in", seconds)
            .add("token_type", "Bearer")
            .build()
            .toString());
  }

  /** Whether the {@code Authorization} header carries a token issued here and still valid. */
  boolean accepts(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    Instant expires = issued.get(authorization.substring("Bearer ".length()));
    return expires != null && Instant.now().isBefore(expires);
  }

  void revokeAll() {
    issued.clear();
  }

  /**
   * A disabled service account (its key deleted, the account disabled) gets no token, as Google
   * answers then; the tokens it had stop working at once.
   */
  void accountDisabled(boolean disabled) {
    accountDisabled = disabled;
    if (disabled) {
      revokeAll();
    }
  }

  void lifetime(Duration value) {
    lifetime = value;
  }

  int grants() {
    return grants.get();
  }

  int refusals() {
    return refusals.get();
  }

  private String checkAssertion(String assertion) {
    String[] parts = assertion.split("\\.", -1);
    if (parts.length != 3) {
      return "Invalid JWT: not three parts";
    }
    try {
      JsonObject header = parseJson(parts[0]);
      JsonObject claims = parseJson(parts[1]);
      if (!"RS256".equals(header.getString("alg", null))) {
        return "Invalid JWT: alg must be RS256";
      }
      if (!account.keyId().equals(header.getString("kid", account.keyId()))) {
        return "Invalid JWT: kid names no key of the service account";
      }
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(account.publicKey());
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return "Invalid JWT Signature.";
      }
      return checkClaims(claims);
    } catch (GeneralSecurityException | RuntimeException e) {
      return "Invalid JWT: " + e.getClass().getSimpleName();
    }
  }

  private String checkClaims(JsonObject claims) {
    Instant now = Instant.now();
    Instant issuedAt = Instant.ofEpochSecond(claims.getJsonNumber("iat").longValue());
    Instant expires = Instant.ofEpochSecond(claims.getJsonNumber("exp").longValue());
    if (!account.clientEmail().equals(claims.getString("iss", null))) {
      return "Invalid JWT: iss is not the service account";
    }
    String audience = claims.getString("aud", null);
    if (!GOOGLE_TOKEN_URL.equals(audience) && !tokenUrl.toString().equals(audience)) {
      return "Invalid JWT: aud is not " + GOOGLE_TOKEN_URL;
    }
    if (!Arrays.asList(claims.getString("scope", "").split(" ")).contains(SCOPE)) {
      return "Invalid JWT: scope lacks " + SCOPE;
    }
    if (issuedAt.isAfter(now.plus(CLOCK_SKEW)) || !expires.isAfter(now)) {
      return "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe";
    }
    if (Duration.between(issuedAt, expires).compareTo(Duration.ofHours(1)) > 0) {
      return "Invalid JWT: valid for more than an hour";
    }
    return null;
  }

  private JsonObject parseJson(String base64) {
    String text = new String(Base64.getUrlDecoder().decode(base64), StandardCharsets.UTF_8);
    try (JsonReader reader = json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private Reply refuse(String error, String description) {
    refusals.incrementAndGet();
    return new Reply(
        400,
        json.createObjectBuilder()
            .add("error", error)
            .add("error_description", description)
            .build()
            .toString());
  }

  private static Map<String, String> formFields(String form) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : form.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }
}
