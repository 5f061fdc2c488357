package io.uplink.config;

import java.net.URI;
import java.net.URISyntaxException;
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

/**
 * Typed reads of single setting keys, each with its default and bounds, collecting every problem
 * instead of failing on the first, so that the readers of each group of settings report them all at
 * once. Not thread-safe; one per read.
 */
final class SettingValues {

  private final Function<String, Optional<String>> lookup;
  private final List<String> problems = new ArrayList<>();

  SettingValues(Function<String, Optional<String>> lookup) {
    this.lookup = lookup;
  }

  /** The trimmed value, if set and not blank. */
  Optional<String> optional(String key) {
    return lookup.apply(key).map(String::trim).filter(value -> !value.isEmpty());
  }

  String text(String key, String defaultValue) {
    return optional(key).orElse(defaultValue);
  }

  /** A comma-separated list, blanks dropped, in order. */
  Set<String> list(String key) {
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

  boolean bool(String key) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return false;
    }
    String text = value.get().toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      problem(key + " must be true or false: '" + value.get() + "'");
    }
    return text.equals("true");
  }

  int integer(String key, int defaultValue, int min, int max) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed < min || parsed > max) {
        problem(key + " must be between " + min + " and " + max + ": " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      problem(key + " must be a whole number: '" + value.get() + "'");
      return defaultValue;
    }
  }

  Duration duration(String key, Duration defaultValue) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      Duration parsed = Duration.parse(value.get());
      if (parsed.isNegative() || parsed.isZero()) {
        problem(key + " must be positive: " + value.get());
      }
      return parsed;
    } catch (DateTimeParseException e) {
      problem(key + " must be an ISO-8601 duration such as PT30S: '" + value.get() + "'");
      return defaultValue;
    }
  }

  /** An absolute {@code https} URL (or {@code http} on loopback, for tests and emulators). */
  URI url(String key, String defaultValue) {
    String value = text(key, defaultValue);
    try {
      URI uri = new URI(value);
      boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost());
      if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
        problem(key + " must be an https URL: '" + value + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      problem(key + " is not a URL: '" + value + "'");
      return URI.create(defaultValue);
    }
  }

  /** A path to a file that must be readable now. */
  Optional<Path> readableFile(String key) {
    Optional<Path> path = optional(key).map(Path::of);
    if (path.isPresent() && !Files.isReadable(path.get())) {
      problem(key + ": cannot read " + path.get().toAbsolutePath());
    }
    return path;
  }

  void problem(String description) {
    problems.add(description);
  }

  /** The environment variable that MicroProfile Config maps to the key, for error messages. */
  static String environmentHint(String key) {
    return " (environment variable "
        + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
        + ")";
  }

  void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
  }
}
