package io.uplink.downstream;

import io.uplink.config.DownstreamSettings;
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
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands recorded token events to the application: once right after CCS's answer is recorded, and
 * again, on the container's scheduler every {@code uplink.downstream.retry-initial}, for every
 * event still waiting (its observer failed, or the instance stopped or crashed first). A failed
 * attempt waits an exponential backoff up to {@code uplink.downstream.retry-max}; after {@code
 * uplink.upstream.max-attempts} failed attempts the event stays in {@code uplink_token_event} as a
 * dead letter. Thread-safe; the sweep runs as long as the application.
 */
@ApplicationScoped
public class TokenEventRelay {

  private static final Logger LOG = Logger.getLogger(TokenEventRelay.class.getName());
  private static final int SWEEP_LIMIT = 500;

  @Inject TokenEvents events;
  @Inject DownstreamSettings downstream;
  @Inject UpstreamSettings upstream;
  @Inject GatewayCounters counters;

  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> sweep;

  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    long period = downstream.retryInitial().toMillis();
    sweep = scheduler.scheduleWithFixedDelay(this::sweep, 0, period, TimeUnit.MILLISECONDS);
  }

  /** One attempt at the event, on the calling thread. */
  void attempt(long id) {
    try {
      events.deliver(id);
    } catch (RuntimeException e) {
      counters.add(Total.DOWNSTREAM_EVENT_FAILURES, null, 1);
      recordFailure(id, e);
    }
  }

  private void recordFailure(long id, RuntimeException failure) {
    try {
      int attempts =
          events.failed(
              id,
              String.valueOf(failure),
              attempt -> RetryBackoff.after(downstream, attempt - 1, 1),
              upstream.maxAttempts());
      if (attempts >= upstream.maxAttempts()) {
        LOG.warning(
            "Token event "
                + id
                + " dead-lettered after "
                + attempts
                + " failed attempts: "
                + failure);
      } else {
        LOG.log(
            Level.WARNING,
            "Token event "
                + id
                + " failed (attempt "
                + attempts
                + " of "
                + upstream.maxAttempts()
                + "); it is tried again after a backoff",
            failure);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not record the failure of token event " + id, e);
    }
  }

  private void sweep() {
    try {
      List<Long> due = events.due(SWEEP_LIMIT);
      due.forEach(this::attempt);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Looking up waiting token events failed; will retry", e);
    }
  }

  @PreDestroy
  void stop() {
    if (sweep != null) {
      sweep.cancel(false);
    }
  }
}
