package io.uplink.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates every Uplink setting from a key lookup (MicroProfile Config in the server, a
 * map in unit tests). It collects all problems before failing, so an operator fixes them in one go.
 * Not thread-safe; use one instance per read.
 *
 * <p>One sender needs only {@code uplink.ccs.sender-id}, {@code uplink.ccs.server-key} and
 * optionally {@code uplink.ccs.connections}. Further senders are named in {@code
 * uplink.ccs.senders} (for example {@code promo,ops}) and configured as {@code
 * uplink.ccs.promo.sender-id}, {@code uplink.ccs.promo.server-key}, {@code
 * uplink.ccs.promo.connections}.
 */
public final class SettingsReader {

  /** CCS allows at most this many parallel connections per sender ID (ccs-protocol.md §1.5). */
  public static final int MAX_CONNECTIONS_PER_SENDER = 1000;

  /** CCS's limit on unanswered downstream messages per connection (ccs-protocol.md §4.1). */
  public static final int MAX_PENDING_PER_CONNECTION = 100;

  /**
   * The shortest de-duplication retention accepted: a floor against a mistyped unit (PT1S for P1D),
   * not a safe value; the retention must outlast CCS's redelivery of a message, also across an
   * outage of the gateway.
   */
  static final Duration MIN_DEDUP_RETENTION = Duration.ofMinutes(10);

  private static final Pattern SENDER_ID =
      Pattern.compile("[A-Za-z0-9_.-]{1," + SenderSettings.MAX_SENDER_ID_LENGTH + "}");

  /** Google Cloud project IDs: 6 to 30 lower-case letters, digits and hyphens. */
  private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");

  private static final Pattern SENDER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");

  private final SettingValues values;

  public SettingsReader(Function<String, Optional<String>> lookup) {
    this.values = new SettingValues(lookup);
  }

  /** Reads the connection settings, or throws listing every problem found. */
  public CcsSettings ccs() {
    CcsSettings settings =
        new CcsSettings(
            values.text("uplink.ccs.host", "fcm-xmpp.googleapis.com"),
            values.integer("uplink.ccs.port", 5235, 1, 65535),
            values.text("uplink.ccs.domain", "gcm.googleapis.com"),
            trustStore(),
            values.optional("uplink.ccs.trust-store-password").map(Secret::new),
            senders(),
            values.duration("uplink.ccs.connect-timeout", Duration.ofSeconds(10)),
            values.duration("uplink.ccs.ping-interval", Duration.ofSeconds(60)),
            values.duration("uplink.ccs.backoff-initial", Duration.ofSeconds(1)),
            values.duration("uplink.ccs.backoff-max", Duration.ofMinutes(2)),
            values.duration("uplink.ccs.drain-timeout", Duration.ofSeconds(10)),
            values.duration("uplink.ccs.upstream-stall-timeout", Duration.ofSeconds(30)));
    if (settings.trustStore().isPresent() && settings.trustStorePassword().isEmpty()) {
      values.problem("uplink.ccs.trust-store-password is required with uplink.ccs.trust-store");
    }
    values.throwIfInvalid();
    return settings;
  }

  /** Reads the upstream pipeline settings, or throws listing every problem found. */
  public UpstreamSettings upstream() {
    UpstreamSettings settings =
        new UpstreamSettings(
            values.list("uplink.upstream.categories"),
            values.integer("uplink.upstream.max-stanza-bytes", 16_384, 4096, 1 << 24),
            values.integer("uplink.upstream.max-attempts", 5, 1, 1000),
            values.duration("uplink.upstream.dedup-retention", Duration.ofDays(28)),
            values.duration("uplink.upstream.purge-interval", Duration.ofHours(1)),
            values.integer("uplink.upstream.workers", 4, 1, 256),
            values.integer("uplink.upstream.batch-size", 64, 1, 1000),
            values.integer("uplink.upstream.lane-capacity", 1000, 1, 1_000_000));
    if (settings.dedupRetention().compareTo(MIN_DEDUP_RETENTION) < 0) {
      values.problem(
          "uplink.upstream.dedup-retention must be at least "
              + MIN_DEDUP_RETENTION
              + ": a record purged while CCS still redelivers its message lets the copy through");
    }
    values.throwIfInvalid();
    return settings;
  }

  /** Reads the cluster settings, or throws listing every problem found. */
  public ClusterSettings cluster() {
    ClusterSettings settings =
        new ClusterSettings(
            values.bool("uplink.cluster.enabled"),
            values.duration("uplink.cluster.lease-duration", Duration.ofSeconds(15)),
            values.duration("uplink.cluster.renew-interval", Duration.ofSeconds(5)));
    if (settings.renewInterval().multipliedBy(2).compareTo(settings.leaseDuration()) > 0) {
      values.problem(
          "uplink.cluster.renew-interval must be at most half of uplink.cluster.lease-duration,"
              + " or leases expire between renewals");
    }
    values.throwIfInvalid();
    return settings;
  }

  /** Reads the retention settings, or throws listing every problem found. */
  public RetentionSettings retention() {
    RetentionSettings settings =
        new RetentionSettings(
            values.duration("uplink.retention.outbox", Duration.ofDays(7)),
            values.duration("uplink.retention.dead-letters", Duration.ofDays(30)),
            values.integer("uplink.retention.chunk-size", 1000, 1, 10_000));
    values.throwIfInvalid();
    return settings;
  }

  /** Reads the downstream settings, or throws listing every problem found. */
  public DownstreamSettings downstream() {
    DownstreamSettings settings =
        new DownstreamSettings(
            values.integer(
                "uplink.downstream.window",
                MAX_PENDING_PER_CONNECTION,
                1,
                MAX_PENDING_PER_CONNECTION),
            values.duration("uplink.downstream.send-timeout", Duration.ofSeconds(30)),
            values.integer("uplink.downstream.max-retries", 5, 0, 100),
            values.duration("uplink.downstream.retry-initial", Duration.ofSeconds(1)),
            values.duration("uplink.downstream.retry-max", Duration.ofMinutes(1)),
            values.duration("uplink.downstream.retry-after-max", Duration.ofHours(1)),
            values.integer("uplink.downstream.max-pending", 100_000, 1, 100_000_000),
            values.integer("uplink.downstream.memory-window", 10_000, 2, 1_000_000),
            values.duration("uplink.downstream.rescan-interval", Duration.ofMinutes(1)));
    values.throwIfInvalid();
    return settings;
  }

  private List<SenderSettings> senders() {
    List<SenderSettings> senders = new ArrayList<>();
    sender("default", "uplink.ccs.", 2).ifPresent(senders::add);
    for (String name : values.list("uplink.ccs.senders")) {
      if (!SENDER_NAME.matcher(name).matches() || name.equals("default")) {
        values.problem(
            "uplink.ccs.senders: '"
                + name
                + "' is not a valid name (lower-case letters, digits, -)");
        continue;
      }
      sender(name, "uplink.ccs." + name + ".", 2).ifPresent(senders::add);
    }
    Set<String> ids = new LinkedHashSet<>();
    for (SenderSettings sender : senders) {
      if (!ids.add(sender.senderId())) {
        values.problem("sender ID " + sender.senderId() + " is configured twice");
      }
    }
    return senders;
  }

  private Optional<SenderSettings> sender(String name, String prefix, int defaultConnections) {
    Optional<String> id = values.optional(prefix + "sender-id");
    Optional<String> key = values.optional(prefix + "server-key");
    String transport = values.text(prefix + "downstream", "ccs");
    Optional<HttpV1Account> httpV1 = downstream(prefix, transport);
    boolean sendOnlyAllowed = transport.equals("http-v1");
    int connections =
        values.integer(
            prefix + "connections",
            defaultConnections,
            sendOnlyAllowed ? 0 : 1,
            MAX_CONNECTIONS_PER_SENDER);
    if (id.isEmpty()) {
      values.problem(
          prefix + "sender-id is required" + SettingValues.environmentHint(prefix + "sender-id"));
    } else if (!SENDER_ID.matcher(id.get()).matches()) {
      values.problem(prefix + "sender-id '" + id.get() + "' is not a sender ID");
    }
    if (key.isEmpty() && connections > 0) {
      values.problem(
          prefix
              + "server-key is required"
              + SettingValues.environmentHint(prefix + "server-key")
              + (sendOnlyAllowed ? ", unless " + prefix + "connections is 0 (send-only)" : ""));
    }
    if (id.isEmpty() || (key.isEmpty() && connections > 0)) {
      return Optional.empty();
    }
    return Optional.of(
        new SenderSettings(name, id.get(), key.map(Secret::new), connections, httpV1));
  }

  /** The HTTP v1 account when {@code <prefix>downstream} is {@code http-v1}; CCS otherwise. */
  private Optional<HttpV1Account> downstream(String prefix, String transport) {
    if (transport.equals("ccs")) {
      return Optional.empty();
    }
    if (!transport.equals("http-v1")) {
      values.problem(prefix + "downstream must be ccs or http-v1: '" + transport + "'");
      return Optional.empty();
    }
    String keys = prefix + "http-v1.";
    Optional<String> project = values.optional(keys + "project-id");
    if (project.isEmpty()) {
      values.problem(keys + "project-id is required with " + prefix + "downstream=http-v1");
    } else if (!PROJECT_ID.matcher(project.get()).matches()) {
      values.problem(keys + "project-id '" + project.get() + "' is not a Firebase project ID");
    }
    Optional<Secret> account = serviceAccount(keys);
    URI baseUrl = values.url(keys + "base-url", "https://fcm.googleapis.com");
    URI tokenUrl = values.url(keys + "token-url", "https://oauth2.googleapis.com/token");
    int maxInFlight = values.integer(keys + "max-in-flight", 100, 1, 10_000);
    if (project.isEmpty() || account.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new HttpV1Account(project.get(), account.get(), baseUrl, tokenUrl, maxInFlight));
  }

  /**
   * The service account's JSON key: from a file ({@code service-account-file}), or given whole
   * ({@code service-account}), meant to come from a Payara password alias or an environment
   * variable, never from a properties file in the WAR.
   */
  private Optional<Secret> serviceAccount(String keys) {
    if (values.optional(keys + "service-account-file").filter(v -> v.startsWith("{")).isPresent()) {
      values.problem(
          keys
              + "service-account-file must be the path of the JSON key file, not the key itself"
              + " (give the key in "
              + keys
              + "service-account, from a password alias)");
      return Optional.empty();
    }
    Optional<Path> file = values.readableFile(keys + "service-account-file");
    Optional<String> inline = values.optional(keys + "service-account");
    if (file.isPresent() == inline.isPresent()) {
      values.problem(
          "exactly one of "
              + keys
              + "service-account-file and "
              + keys
              + "service-account (the JSON key, from a password alias) is required");
      return Optional.empty();
    }
    if (inline.isPresent()) {
      return inline.map(Secret::new);
    }
    try {
      return Optional.of(new Secret(Files.readString(file.get())));
    } catch (IOException e) {
      values.problem(
          keys
              + "service-account-file: cannot read "
              + file.get()
              + " ("
              + e.getClass().getSimpleName()
              + ")");
      return Optional.empty();
    }
  }

  /** Reads the HTTP v1 client settings, or throws listing every problem found. */
  public HttpV1Settings httpV1() {
    HttpV1Settings settings =
        new HttpV1Settings(
            values.readableFile("uplink.http-v1.trust-store"),
            values.optional("uplink.http-v1.trust-store-password").map(Secret::new),
            values.duration("uplink.http-v1.request-timeout", Duration.ofSeconds(30)));
    if (settings.trustStore().isPresent() && settings.trustStorePassword().isEmpty()) {
      values.problem(
          "uplink.http-v1.trust-store-password is required with uplink.http-v1.trust-store");
    }
    values.throwIfInvalid();
    return settings;
  }

  private Optional<Path> trustStore() {
    return values.readableFile("uplink.ccs.trust-store");
  }
}
