package io.uplink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

  private static final String KEY = "AIzaSyDoNotLogThisKeyEver0123456789";

  private final Map<String, String> values = new HashMap<>();

  private SettingsReader reader() {
    return new SettingsReader(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void oneSenderNeedsOnlyItsIdAndKey() {
    values.put("uplink.ccs.sender-id", "123456789");
    values.put("uplink.ccs.server-key", KEY);

    CcsSettings settings = reader().ccs();

    assertEquals("fcm-xmpp.googleapis.com", settings.host());
    assertEquals(5235, settings.port());
    assertEquals("gcm.googleapis.com", settings.domain());
    assertEquals(Optional.empty(), settings.trustStore());
    assertEquals(1, settings.senders().size());
    SenderSettings sender = settings.senders().get(0);
    assertEquals("123456789", sender.senderId());
    assertEquals(KEY, sender.serverKey().orElseThrow().value());
    assertEquals(2, sender.connections());
  }

  @Test
  void missingSettingsAreAllNamedWithTheirEnvironmentVariable() {
    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().ccs());
    assertEquals(
        List.of(
            "uplink.ccs.sender-id is required (environment variable UPLINK_CCS_SENDER_ID)",
            "uplink.ccs.server-key is required (environment variable UPLINK_CCS_SERVER_KEY)"),
        e.problems());
  }

  @Test
  void invalidNumbersAndDurationsNameTheirKey() {
    values.put("uplink.ccs.sender-id", "1");
    values.put("uplink.ccs.server-key", KEY);
    values.put("uplink.ccs.port", "http");
    values.put("uplink.ccs.connections", "1001");
    values.put("uplink.ccs.ping-interval", "60s");

    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().ccs());

    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("uplink.ccs.port must be a whole number: 'http'"));
    assertTrue(e.getMessage().contains("uplink.ccs.connections must be between 1 and 1000: 1001"));
    assertTrue(e.getMessage().contains("uplink.ccs.ping-interval must be an ISO-8601 duration"));
  }

  @Test
  void serverKeyNeverAppearsInErrorsOrToString() {
    values.put("uplink.ccs.sender-id", "not a sender id");
    values.put("uplink.ccs.server-key", KEY);

    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().ccs());
    assertFalse(e.getMessage().contains(KEY));

    SenderSettings sender = SenderSettings.ccs("default", "1", new Secret(KEY), 1);
    assertFalse(sender.toString().contains(KEY), sender.toString());
    assertFalse(sender.toString().contains(KEY.substring(4, 12)), sender.toString());
  }

  @Test
  void furtherSendersAreNamedAndConfiguredBesideTheDefault() {
    values.put("uplink.ccs.sender-id", "111");
    values.put("uplink.ccs.server-key", KEY);
    values.put("uplink.ccs.senders", "promo, ops");
    values.put("uplink.ccs.promo.sender-id", "222");
    values.put("uplink.ccs.promo.server-key", "key-2");
    values.put("uplink.ccs.promo.connections", "8");
    values.put("uplink.ccs.ops.sender-id", "333");

    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().ccs());
    assertEquals(
        List.of(
            "uplink.ccs.ops.server-key is required (environment variable UPLINK_CCS_OPS_SERVER_KEY)"),
        e.problems());

    values.put("uplink.ccs.ops.server-key", "key-3");
    List<SenderSettings> senders = reader().ccs().senders();
    assertEquals(
        List.of("111", "222", "333"), senders.stream().map(SenderSettings::senderId).toList());
    assertEquals(8, senders.get(1).connections());
  }

  @Test
  void aSenderIdConfiguredTwiceIsAnError() {
    values.put("uplink.ccs.sender-id", "111");
    values.put("uplink.ccs.server-key", KEY);
    values.put("uplink.ccs.senders", "again");
    values.put("uplink.ccs.again.sender-id", "111");
    values.put("uplink.ccs.again.server-key", KEY);

    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().ccs());
    assertEquals(List.of("sender ID 111 is configured twice"), e.problems());
  }

  @Test
  void unreadableTrustStoreAndMissingPasswordAreReported() {
    values.put("uplink.ccs.sender-id", "111");
    values.put("uplink.ccs.server-key", KEY);
    values.put("uplink.ccs.trust-store", "/nonexistent/trust.p12");

    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().ccs());
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("uplink.ccs.trust-store: cannot read"));
    assertTrue(e.getMessage().contains("uplink.ccs.trust-store-password is required"));
  }

  @Test
  void upstreamDefaultsAndOverrides() {
    UpstreamSettings defaults = reader().upstream();
    assertEquals(Set.of(), defaults.allowedCategories());
    assertEquals(16_384, defaults.maxStanzaBytes());
    assertEquals(5, defaults.maxAttempts());
    assertEquals(Duration.ofDays(28), defaults.dedupRetention());

    values.put("uplink.upstream.categories", "com.example.app, com.example.ios");
    values.put("uplink.upstream.max-attempts", "3");
    values.put("uplink.upstream.dedup-retention", "P2D");
    UpstreamSettings custom = reader().upstream();
    assertEquals(Set.of("com.example.app", "com.example.ios"), custom.allowedCategories());
    assertEquals(3, custom.maxAttempts());
    assertEquals(Duration.ofDays(2), custom.dedupRetention());
    assertEquals(64, defaults.batchSize());
  }

  @Test
  void aDedupRetentionUnderTenMinutesIsRefused() {
    values.put("uplink.upstream.dedup-retention", "PT10M");
    assertEquals(Duration.ofMinutes(10), reader().upstream().dedupRetention());

    values.put("uplink.upstream.dedup-retention", "PT9M59S");
    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().upstream());
    assertTrue(e.getMessage().contains("uplink.upstream.dedup-retention"), e.getMessage());
  }

  @Test
  void retentionDefaultsOverridesAndLimits() {
    assertEquals(
        new RetentionSettings(Duration.ofDays(7), Duration.ofDays(30), 1000), reader().retention());

    values.put("uplink.retention.outbox", "PT12H");
    values.put("uplink.retention.dead-letters", "P90D");
    values.put("uplink.retention.chunk-size", "50");
    assertEquals(
        new RetentionSettings(Duration.ofHours(12), Duration.ofDays(90), 50), reader().retention());

    values.put("uplink.retention.chunk-size", "0");
    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().retention());
    assertTrue(e.getMessage().contains("uplink.retention.chunk-size"), e.getMessage());
  }

  @Test
  void clusterIsOffByDefaultAndItsLeasesMustOutliveTwoRenewals() {
    ClusterSettings defaults = reader().cluster();
    assertFalse(defaults.enabled());
    assertEquals(Duration.ofSeconds(15), defaults.leaseDuration());

    values.put("uplink.cluster.enabled", "TRUE");
    values.put("uplink.cluster.lease-duration", "PT6S");
    values.put("uplink.cluster.renew-interval", "PT2S");
    assertTrue(reader().cluster().enabled());

    values.put("uplink.cluster.enabled", "yes");
    values.put("uplink.cluster.renew-interval", "PT4S");
    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().cluster());
    assertTrue(e.getMessage().contains("uplink.cluster.enabled must be true or false"));
    assertTrue(e.getMessage().contains("renew-interval must be at most half"));
  }

  @Test
  void stanzaLimitBelowTheDataLimitIsRejected() {
    values.put("uplink.upstream.max-stanza-bytes", "1000");
    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().upstream());
    assertTrue(e.getMessage().contains("uplink.upstream.max-stanza-bytes must be between 4096"));
  }

  @Test
  void aSendOnlyHttpV1SenderNeedsNoServerKeyAndNoConnections() {
    values.put("uplink.ccs.sender-id", "123456789");
    values.put("uplink.ccs.connections", "0");
    values.put("uplink.ccs.downstream", "http-v1");
    values.put("uplink.ccs.http-v1.project-id", "uplink-push");
    values.put("uplink.ccs.http-v1.service-account", SERVICE_ACCOUNT);

    SenderSettings sender = reader().ccs().senders().get(0);

    assertEquals(0, sender.connections());
    assertEquals(Optional.empty(), sender.serverKey());
    HttpV1Account account = sender.httpV1().orElseThrow();
    assertEquals("uplink-push", account.projectId());
    assertEquals("https://fcm.googleapis.com", account.baseUrl().toString());
    assertEquals("https://oauth2.googleapis.com/token", account.tokenUrl().toString());
    assertEquals(100, account.maxInFlight());
    assertFalse(sender.toString().contains("PRIVATE KEY"), "the key is masked");
  }

  @Test
  void httpV1SettingsAreCheckedTogether() {
    values.put("uplink.ccs.sender-id", "1");
    values.put("uplink.ccs.connections", "0");
    values.put("uplink.ccs.downstream", "http-v1");
    values.put("uplink.ccs.http-v1.project-id", "X");
    values.put("uplink.ccs.http-v1.base-url", "http://fcm.example.com");
    values.put("uplink.ccs.senders", "promo");
    values.put("uplink.ccs.promo.sender-id", "2");
    values.put("uplink.ccs.promo.connections", "0");
    values.put("uplink.ccs.promo.server-key", KEY);
    values.put("uplink.ccs.promo.downstream", "http");

    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> reader().ccs());

    assertEquals(
        List.of(
            "uplink.ccs.http-v1.project-id 'X' is not a Firebase project ID",
            "exactly one of uplink.ccs.http-v1.service-account-file and"
                + " uplink.ccs.http-v1.service-account (the JSON key, from a password alias) is"
                + " required",
            "uplink.ccs.http-v1.base-url must be an https URL: 'http://fcm.example.com'",
            "uplink.ccs.promo.downstream must be ccs or http-v1: 'http'",
            "uplink.ccs.promo.connections must be between 1 and 1000: 0"),
        e.problems());
  }

  private static final String SERVICE_ACCOUNT =
      "{\"type\":\"service_account\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\"}";
}
