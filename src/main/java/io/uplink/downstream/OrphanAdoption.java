package io.uplink.downstream;

import io.uplink.cluster.SenderAssignment;
import io.uplink.config.DownstreamSettings;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Total;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes over the downstream messages that instances no longer running left unanswered in the outbox
 * (a previous run of this one, or a dead member of the cluster), so that this instance sends them.
 * Only their owner changes; the sender's dispatcher pages them in like any message waiting in the
 * outbox ({@link SenderBacklog}). The search for dead owners reads every pending row of the sender,
 * so it runs only when due ({@link OrphanSearch}): at the first request, when an instance seen
 * alive since the last search no longer is, and otherwise once per {@code
 * uplink.downstream.rescan-interval}. Thread-safe.
 */
@ApplicationScoped
public class OrphanAdoption {

  private static final Logger LOG = Logger.getLogger(OrphanAdoption.class.getName());

  /** Orphans taken over per transaction. */
  private static final int ADOPT_CHUNK = 1_000;

  /**
   * How long after a failed takeover it is tried again: a single instance has no lease rounds to
   * try it again, and a failure at start (the database, or the container still loading classes)
   * would otherwise leave the orphans until the next restart.
   */
  private static final Duration RETRY = Duration.ofSeconds(5);

  @Inject OrphanRows orphans;
  @Inject DownstreamQueue queue;
  @Inject GatewayCounters counters;
  @Inject DownstreamSettings settings;

  @Resource ManagedExecutorService executor;
  @Resource ManagedScheduledExecutorService scheduler;

  /** Senders whose orphans are being taken over now. */
  private final Set<String> adopting = ConcurrentHashMap.newKeySet();

  /** Each sender's last complete search for dead owners, while this instance sends for it. */
  private final Map<String, OrphanSearch> searches = new ConcurrentHashMap<>();

  /**
   * Sends again what instances no longer alive left unanswered in the outbox (a previous run of
   * this one, or a dead member of the cluster), once this instance has connections for the sender.
   */
  void resendOrphans(@Observes SenderAssignment assignment) {
    if (assignment.connections().isEmpty()) {
      // Not watching the other instances meanwhile: search afresh once sending for it again.
      searches.remove(assignment.senderId());
    } else {
      resendOrphans(assignment.senderId());
    }
  }

  /**
   * Sends again what instances no longer alive left unanswered for the sender (also for a sender
   * without connections, send-only over HTTP v1, which no assignment announces). The rows change
   * owner dead owner by dead owner, in chunks of {@value #ADOPT_CHUNK} read by id along the
   * outbox's pending index, each its own transaction, on a thread of the container's (one at a time
   * per sender), so that a large backlog neither fills memory nor holds up the caller (the lease
   * round, which also beats the heartbeat); the dispatcher pages them in.
   */
  public void resendOrphans(String senderId) {
    if (!adopting.add(senderId)) {
      return;
    }
    try {
      executor.execute(() -> adoptAll(senderId));
    } catch (RuntimeException e) {
      adopting.remove(senderId);
      throw e;
    }
  }

  private void adoptAll(String senderId) {
    long adopted = 0;
    try {
      Set<String> alive = orphans.otherLiveInstances();
      long now = System.nanoTime();
      OrphanSearch last = searches.get(senderId);
      if (last != null && !last.due(alive, now, settings.rescanInterval())) {
        searches.put(senderId, last.seeing(alive));
        return;
      }
      for (Optional<String> deadOwner : orphans.deadOwners(senderId)) {
        int chunk;
        do {
          chunk = orphans.adoptOrphans(senderId, deadOwner, ADOPT_CHUNK);
          if (chunk > 0) {
            counters.count(Total.DOWNSTREAM_ACCEPTED, senderId, (long) chunk);
            queue.adopted(senderId);
            adopted += chunk;
          }
        } while (chunk > 0);
      }
      searches.put(senderId, new OrphanSearch(alive, now));
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Could not take over all the orphans of sender "
              + senderId
              + " ("
              + adopted
              + " taken); trying again in "
              + RETRY.toSeconds()
              + " s",
          e);
      try {
        scheduler.schedule(() -> resendOrphans(senderId), RETRY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopping) {
        LOG.fine("The application is stopping: the orphans wait for the next start");
      }
    } finally {
      adopting.remove(senderId);
    }
    if (adopted > 0) {
      LOG.info(
          "Sending again "
              + adopted
              + " downstream message(s) of sender "
              + senderId
              + " left unanswered by an instance no longer running");
    }
  }
}
