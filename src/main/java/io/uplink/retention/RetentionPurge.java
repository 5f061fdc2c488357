package io.uplink.retention;

import io.uplink.config.RetentionSettings;
import io.uplink.config.UpstreamSettings;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Total;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes what the gateway no longer needs, every {@code uplink.upstream.purge-interval}, on the
 * container's scheduler, in chunks of {@code uplink.retention.chunk-size} rows per transaction:
 * de-duplication records (upstream messages and delivery receipts) and failure counts older than
 * {@code uplink.upstream.dedup-retention}, which must outlast the longest time CCS may still
 * redeliver a message; finished outbox rows after {@code uplink.retention.outbox}; dead letters and
 * dead token events after {@code uplink.retention.dead-letters}. Pending outbox rows and live token
 * events are never purged. Counts what it deleted per table. Thread-safe.
 */
@ApplicationScoped
public class RetentionPurge {

  private static final Logger LOG = Logger.getLogger(RetentionPurge.class.getName());

  @Inject ChunkedDelete delete;
  @Inject UpstreamSettings upstream;
  @Inject RetentionSettings retention;
  @Inject GatewayCounters counters;

  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> schedule;

  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    tables().forEach(table -> counters.add(Total.RETENTION_PURGED, table, 0));
    long period = upstream.purgeInterval().toMillis();
    schedule = scheduler.scheduleAtFixedRate(this::purge, period, period, TimeUnit.MILLISECONDS);
  }

  /** The tables the purge knows. */
  private static List<String> tables() {
    return targets(Duration.ZERO, Duration.ZERO, Duration.ZERO).stream()
        .map(Target::table)
        .toList();
  }

  void purge() {
    Instant now = Instant.now();
    for (Target target :
        targets(upstream.dedupRetention(), retention.outbox(), retention.deadLetters())) {
      try {
        int deleted = purge(target, now.minus(target.retention()));
        if (deleted > 0) {
          counters.add(Total.RETENTION_PURGED, target.table(), deleted);
          LOG.info(
              "Purged "
                  + deleted
                  + " rows of "
                  + target.table()
                  + " older than "
                  + target.retention());
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Purging " + target.table() + " failed; will retry", e);
      }
    }
  }

  private int purge(Target target, Instant cutoff) {
    int total = 0;
    int deleted;
    do {
      deleted =
          delete.deleteChunk(target.entity(), target.condition(), cutoff, retention.chunkSize());
      total += deleted;
    } while (deleted == retention.chunkSize());
    return total;
  }

  private static List<Target> targets(Duration dedup, Duration outbox, Duration deadLetters) {
    return List.of(
        new Target("uplink_received", "DedupRecord", "e.receivedAt < :cutoff", dedup),
        new Target("uplink_failed_delivery", "FailedDelivery", "e.lastFailureAt < :cutoff", dedup),
        new Target("uplink_outbox", "OutboxMessage", "e.answeredAt < :cutoff", outbox),
        new Target("uplink_dead_letter", "DeadLetter", "e.parkedAt < :cutoff", deadLetters),
        new Target(
            "uplink_token_event",
            "TokenEventRecord",
            "e.dead = true and e.createdAt < :cutoff",
            deadLetters));
  }

  @PreDestroy
  void stop() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }

  /** One table the purge keeps short. */
  private record Target(String table, String entity, String condition, Duration retention) {}
}
