package io.uplink.monitoring;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the database takes a commit: every delivery, send and answer needs one, and a
 * database that stopped taking them (a full disk, on which H2 closes its file; PostgreSQL away or
 * read-only) delivers nothing however healthy the connections look. A probe rewrites the single row
 * of {@code uplink_readiness_probe} in its own commit, at most one at a time and at most once per
 * {@link #FRESH}; the health request that finds no fresh probe runs it, the others wait for its
 * answer at most {@link #ANSWER_WITHIN} and otherwise report the database as failing, so that a
 * hanging database neither holds every request nor piles up probes. A probe still unanswered after
 * {@link #GIVEN_UP_AFTER} is given up and the next request starts another. Not a liveness check: a
 * restart would not give the disk space back, and the gateway takes up its work again by itself
 * once the database commits (the pool checks a connection before it hands it out and drops a dead
 * one). Thread-safe.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(DatabaseReadiness.class.getName());

  /** How long one probe's answer stands for the health requests that follow. */
  static final Duration FRESH = Duration.ofSeconds(2);

  /** How long a health request waits for a probe's commit before it counts as failed. */
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

  /** How long a probe may stay unanswered before another one is started in its place. */
  static final Duration GIVEN_UP_AFTER = Duration.ofMinutes(1);

  private static final int LONGEST_REASON = 300;

  @Resource(lookup = "java:app/jdbc/uplink")
  DataSource dataSource;

  private CompletableFuture<Optional<String>> probe;
  private long probeStartedNanos;
  private boolean failing;

  @Override
  public HealthCheckResponse call() {
    Optional<String> failure = answerOf(latestProbe());
    reportChange(failure);
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("uplink-database").status(failure.isEmpty());
    failure.ifPresentOrElse(
        why -> response.withData("commit", "failing: " + why),
        () -> response.withData("commit", "ok"));
    return response.build();
  }

  /** The probe running or still fresh; otherwise a new one, which this request runs. */
  private CompletableFuture<Optional<String>> latestProbe() {
    CompletableFuture<Optional<String>> started;
    synchronized (this) {
      long age = System.nanoTime() - probeStartedNanos;
      boolean stale =
          probe == null
              || (probe.isDone() ? age > FRESH.toNanos() : age > GIVEN_UP_AFTER.toNanos());
      if (!stale) {
        return probe;
      }
      started = new CompletableFuture<>();
      probe = started;
      probeStartedNanos = System.nanoTime();
    }
    try {
      started.complete(commit());
    } catch (RuntimeException e) {
      started.complete(Optional.of(reason(e)));
    } finally {
      started.complete(Optional.of("the probe ended without an answer"));
    }
    return started;
  }

  private static Optional<String> answerOf(CompletableFuture<Optional<String>> probe) {
    try {
      return probe.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Optional.of("no commit within " + ANSWER_WITHIN.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while waiting for a commit");
    } catch (ExecutionException e) {
      return Optional.of(reason(e.getCause()));
    }
  }

  private synchronized void reportChange(Optional<String> failure) {
    if (failure.isPresent() && !failing) {
      LOG.warning("The database takes no commit; not ready: " + failure.get());
    } else if (failure.isEmpty() && failing) {
      LOG.info("The database takes commits again; ready as far as it is concerned");
    }
    failing = failure.isPresent();
  }

  private Optional<String> commit() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "update uplink_readiness_probe set written_at = ? where id = 1")) {
      update.setQueryTimeout((int) ANSWER_WITHIN.toSeconds());
      update.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
      int rows = update.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return rows == 1
          ? Optional.empty()
          : Optional.of("the row of uplink_readiness_probe is missing (" + rows + " updated)");
    } catch (SQLException e) {
      return Optional.of(reason(e));
    }
  }

  /** The innermost cause, which names what the database ran into, cut to a readable length. */
  private static String reason(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; depth < 20 && cause.getCause() != null; depth++) {
      cause = cause.getCause();
    }
    String text = String.valueOf(cause);
    return text.length() > LONGEST_REASON ? text.substring(0, LONGEST_REASON) + "…" : text;
  }
}
