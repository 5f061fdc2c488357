package io.uplink.cluster;

import io.uplink.config.CcsSettings;
import io.uplink.config.ClusterSettings;
import io.uplink.config.SenderSettings;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Decides which connections this instance keeps open and tells the rest of the gateway with a
 * {@link SenderAssignment} per sender. A single instance is assigned every connection once, at
 * start. Clustered ({@code uplink.cluster.enabled}), it runs a lease round every renew interval on
 * the container's scheduler: heartbeat, renew, take or give back leases towards a fair share. When
 * the database cannot be reached for so long that its leases could expire before the next round, it
 * stands every connection by rather than risk two instances holding one. On stop, after the pool
 * closed its connections, it gives its leases back so that the survivors need not wait for them to
 * expire. Each heartbeat written keeps the {@link LeaseFence} current. Thread-safe; one per
 * application.
 */
@ApplicationScoped
public class ConnectionLeases {

  private static final Logger LOG = Logger.getLogger(ConnectionLeases.class.getName());

  @Inject ClusterSettings cluster;
  @Inject CcsSettings ccs;
  @Inject LeaseStore store;
  @Inject LocalInstance self;
  @Inject LeaseFence fence;
  @Inject Event<SenderAssignment> assignments;

  @Resource ManagedScheduledExecutorService scheduler;

  private final Map<String, Set<Integer>> held = new ConcurrentHashMap<>();

  /** When the last round renewed the leases, by {@link System#nanoTime}; 0 before the first. */
  private volatile long lastRenewedNanos;

  private volatile ScheduledFuture<?> rounds;

  /** Runs after the connection pool made its connections, which all stand by until assigned. */
  void start(
      @Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) @Initialized(ApplicationScoped.class)
          Object applicationStarted) {
    if (!cluster.enabled()) {
      for (SenderSettings sender : ccs.senders()) {
        assignments.fire(
            new SenderAssignment(sender.senderId(), allConnections(sender.connections())));
      }
      return;
    }
    LOG.info(
        "Clustered as instance "
            + self.id()
            + " ("
            + self.description()
            + "); connections are leased for "
            + cluster.leaseDuration());
    round();
    long every = cluster.renewInterval().toMillis();
    rounds = scheduler.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
  }

  /** Stops the lease rounds before the pool begins to close the connections. */
  void stopRounds(
      @Observes
          @Priority(Interceptor.Priority.LIBRARY_BEFORE)
          @BeforeDestroyed(ApplicationScoped.class)
          Object applicationStopping) {
    ScheduledFuture<?> running = rounds;
    if (running != null) {
      running.cancel(false);
    }
  }

  /** Gives the leases back once the pool has closed the connections. */
  void leave(
      @Observes
          @Priority(Interceptor.Priority.PLATFORM_AFTER)
          @BeforeDestroyed(ApplicationScoped.class)
          Object applicationStopping) {
    if (rounds == null) {
      return;
    }
    try {
      store.leave(self.id());
      LOG.info("Gave back the connection leases of instance " + self.id());
    } catch (RuntimeException e) {
      LOG.warning(
          "Could not give back the connection leases; they expire in "
              + cluster.leaseDuration()
              + ": "
              + e);
    }
  }

  private void round() {
    long startedNanos = System.nanoTime();
    try {
      int live = store.heartbeat(self, cluster.leaseDuration());
      fence.heartbeatWritten(startedNanos);
      for (SenderSettings sender : ccs.senders()) {
        if (sender.connections() == 0) {
          continue;
        }
        Set<Integer> connections =
            store.rebalance(
                self.id(), sender.senderId(), sender.connections(), live, cluster.leaseDuration());
        assign(sender.senderId(), connections, live);
      }
      lastRenewedNanos = startedNanos;
    } catch (RuntimeException e) {
      LOG.warning("Could not renew the connection leases: " + e);
      standByIfLeasesMayExpire(startedNanos);
    }
  }

  /**
   * Without a renewal, the leases end a lease duration after the last renewal began; if the next
   * round would come later than that, another instance may take them over first. Measured on the
   * monotonic clock, so that a wall clock set back or forward does not stretch the leases.
   */
  private void standByIfLeasesMayExpire(long nowNanos) {
    long renewed = lastRenewedNanos;
    long nextRound = nowNanos + cluster.renewInterval().toNanos();
    if (renewed != 0 && nextRound - (renewed + cluster.leaseDuration().toNanos()) < 0) {
      return;
    }
    for (SenderSettings sender : ccs.senders()) {
      assign(sender.senderId(), Set.of(), 1);
    }
  }

  private void assign(String senderId, Set<Integer> connections, int liveInstances) {
    Set<Integer> before = held.put(senderId, Set.copyOf(connections));
    if (!connections.equals(before)) {
      LOG.info(
          "Holding "
              + connections.size()
              + " of the connections of sender "
              + senderId
              + " "
              + connections
              + ", with "
              + liveInstances
              + " live instance(s)");
    }
    assignments.fire(new SenderAssignment(senderId, connections));
  }

  private static Set<Integer> allConnections(int count) {
    return IntStream.range(0, count).boxed().collect(Collectors.toUnmodifiableSet());
  }
}
