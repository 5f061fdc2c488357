package io.uplink.upstream;

import io.uplink.config.UpstreamSettings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes de-duplication records older than {@code uplink.upstream.dedup-retention}, every {@code
 * uplink.upstream.purge-interval}, on the container's scheduler. The retention must outlast the
 * longest time CCS may still redeliver a message (its upstream TTL). Thread-safe.
 */
@ApplicationScoped
public class DedupPurge {

  private static final Logger LOG = Logger.getLogger(DedupPurge.class.getName());

  @Inject DedupRepository dedup;
  @Inject UpstreamSettings settings;

  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> schedule;

  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    long period = settings.purgeInterval().toMillis();
    schedule = scheduler.scheduleAtFixedRate(this::purge, period, period, TimeUnit.MILLISECONDS);
  }

  void purge() {
    try {
      int purged = dedup.purgeBefore(Instant.now().minus(settings.dedupRetention()));
      if (purged > 0) {
        LOG.info(
            "Purged " + purged + " de-duplication records older than " + settings.dedupRetention());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Purging old de-duplication records failed; will retry", e);
    }
  }

  @PreDestroy
  void stop() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }
}
