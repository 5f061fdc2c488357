package io.uplink.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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

  private static final Pattern SENDER_ID =
      Pattern.compile("[A-Za-z0-9_.-]{1," + SenderSettings.MAX_SENDER_ID_LENGTH + "}");
  private static final Pattern SENDER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");

  private final Function<String, Optional<String>> lookup;
  private final List<String> problems = new ArrayList<>();

  public SettingsReader(Function<String, Optional<String>> lookup) {
    this.lookup = lookup;
  }

  /** Reads the connection settings, or throws listing every problem found. */
  public CcsSettings ccs() {
    CcsSettings settings =
        new CcsSettings(
            text("uplink.ccs.host", "fcm-xmpp.googleapis.com"),
            integer("uplink.ccs.port", 5235, 1, 65535),
            text("uplink.ccs.domain", "gcm.googleapis.com"),
            trustStore(),
            optional("uplink.ccs.trust-store-password").map(Secret::new),
            senders(),
            duration("uplink.ccs.connect-timeout", Duration.ofSeconds(10)),
            duration("uplink.ccs.ping-interval", Duration.ofSeconds(60)),
            duration("uplink.ccs.backoff-initial", Duration.ofSeconds(1)),
            duration("uplink.ccs.backoff-max", Duration.ofMinutes(2)),
            duration("uplink.ccs.drain-timeout", Duration.ofSeconds(10)));
    if (settings.trustStore().isPresent() && settings.trustStorePassword().isEmpty()) {
      problems.add("uplink.ccs.trust-store-password is required with uplink.ccs.trust-store");
    }
    throwIfInvalid();
    return settings;
  }

  /** Reads the upstream pipeline settings, or throws listing every problem found. */
  public UpstreamSettings upstream() {
    UpstreamSettings settings =
        new UpstreamSettings(
            list("uplink.upstream.categories"),
            integer("uplink.upstream.max-stanza-bytes", 16_384, 4096, 1 << 24),
            integer("uplink.upstream.max-attempts", 5, 1, 1000),
            duration("uplink.upstream.dedup-retention", Duration.ofDays(28)),
            duration("uplink.upstream.purge-interval", Duration.ofHours(1)),
            integer("uplink.upstream.workers", 4, 1, 256),
            integer("uplink.upstream.batch-size", 64, 1, 1000),
            integer("uplink.upstream.lane-capacity", 1000, 1, 1_000_000));
    throwIfInvalid();
    return settings;
  }

  /** Reads the cluster settings, or throws listing every problem found. */
  public ClusterSettings cluster() {
    ClusterSettings settings =
        new ClusterSettings(
            bool("uplink.cluster.enabled"),
            duration("uplink.cluster.lease-duration", Duration.ofSeconds(15)),
            duration("uplink.cluster.renew-interval", Duration.ofSeconds(5)));
    if (settings.renewInterval().multipliedBy(2).compareTo(settings.leaseDuration()) > 0) {
      problems.add(
          "uplink.cluster.renew-interval must be at most half of uplink.cluster.lease-duration,"
              + " or leases expire between renewals");
    }
    throwIfInvalid();
    return settings;
  }

  /** Reads the retention settings, or throws listing every problem found. */
  public RetentionSettings retention() {
    RetentionSettings settings =
        new RetentionSettings(
            duration("uplink.retention.outbox", Duration.ofDays(7)),
            duration("uplink.retention.dead-letters", Duration.ofDays(30)),
            integer("uplink.retention.chunk-size", 1000, 1, 10_000));
    throwIfInvalid();
    return settings;
  }

  /** Reads the downstream settings, or throws listing every problem found. */
  public DownstreamSettings downstream() {
    DownstreamSettings settings =
        new DownstreamSettings(
            integer(
                "uplink.downstream.window",
                MAX_PENDING_PER_CONNECTION,
                1,
                MAX_PENDING_PER_CONNECTION),
            duration("uplink.downstream.send-timeout", Duration.ofSeconds(30)),
            integer("uplink.downstream.max-retries", 5, 0, 100),
            duration("uplink.downstream.retry-initial", Duration.ofSeconds(1)),
            duration("uplink.downstream.retry-max", Duration.ofMinutes(1)));
    throwIfInvalid();
    return settings;
  }

  private List<SenderSettings> senders() {
    List<SenderSettings> senders = new ArrayList<>();
    sender("default", "uplink.ccs.", 2).ifPresent(senders::add);
    for (String name : list("uplink.ccs.senders")) {
      if (!SENDER_NAME.matcher(name).matches() || name.equals("default")) {
        problems.add(
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
        problems.add("sender ID " + sender.senderId() + " is configured twice");
      }
    }
    return senders;
  }

  private Optional<SenderSettings> sender(String name, String prefix, int defaultConnections) {
    Optional<String> id = optional(prefix + "sender-id");
    Optional<String> key = optional(prefix + "server-key");
    int connections =
        integer(prefix + "connections", defaultConnections, 1, MAX_CONNECTIONS_PER_SENDER);
    if (id.isEmpty()) {
      problems.add(prefix + "sender-id is required" + environmentHint(prefix + "sender-id"));
    } else if (!SENDER_ID.matcher(id.get()).matches()) {
      problems.add(prefix + "sender-id '" + id.get() + "' is not a sender ID");
    }
    if (key.isEmpty()) {
      problems.add(prefix + "server-key is required" + environmentHint(prefix + "server-key"));
    }
    if (id.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SenderSettings(name, id.get(), new Secret(key.get()), connections));
  }

  private Optional<Path> trustStore() {
    Optional<Path> path = optional("uplink.ccs.trust-store").map(Path::of);
    if (path.isPresent() && !Files.isReadable(path.get())) {
      problems.add("uplink.ccs.trust-store: cannot read " + path.get().toAbsolutePath());
    }
    return path;
  }

  private String text(String key, String defaultValue) {
    return optional(key).orElse(defaultValue);
  }

  private Set<String> list(String key) {
    Set<String> values = new LinkedHashSet<>();
    optional(key)
        .ifPresent(
            value ->
                Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(item -> !item.isEmpty())
                    .forEach(values::add));
    return values;
  }

  private boolean bool(String key) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return false;
    }
    String text = value.get().trim().toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      problems.add(key + " must be true or false: '" + value.get() + "'");
    }
    return text.equals("true");
  }

  private int integer(String key, int defaultValue, int min, int max) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed < min || parsed > max) {
        problems.add(key + " must be between " + min + " and " + max + ": " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(key + " must be a whole number: '" + value.get() + "'");
      return defaultValue;
    }
  }

  private Duration duration(String key, Duration defaultValue) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      Duration parsed = Duration.parse(value.get());
      if (parsed.isNegative() || parsed.isZero()) {
        problems.add(key + " must be positive: " + value.get());
      }
      return parsed;
    } catch (DateTimeParseException e) {
      problems.add(key + " must be an ISO-8601 duration such as PT30S: '" + value.get() + "'");
      return defaultValue;
    }
  }

  private Optional<String> optional(String key) {
    return lookup.apply(key).map(String::trim).filter(value -> !value.isEmpty());
  }

  private static String environmentHint(String key) {
    return " (environment variable "
        + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
        + ")";
  }

  private void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
  }
}
