package io.uplink.cluster;

import io.uplink.config.ClusterSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this clustered instance may still act on the rows it owns. The others take over an
 * instance's pending messages once its heartbeat is a lease duration old, by the database's clock.
 * An instance frozen past that (a long GC pause, a stopped VM, a network split) wakes up with
 * messages in memory that a survivor may have adopted and sent; it must check before it sends any
 * of them. The fence is current while the last heartbeat written began less than three quarters of
 * a lease duration ago, on the monotonic clock (rounds begin a renew interval, at most half a
 * lease, after the previous one ended; the rest leaves room for a slow round and the clocks'
 * rates); a heartbeat written after a longer gap counts a lapse, after which what memory held is
 * checked against the database (a slow round with renew at half a lease may count one that was
 * none: the check then finds nothing to let go). A single instance is always current. Thread-safe.
 */
@ApplicationScoped
public class LeaseFence {

  @Inject ClusterSettings cluster;

  /** When the round that last wrote the heartbeat began, by {@link System#nanoTime()}; 0 before. */
  private volatile long heartbeatNanos;

  private final AtomicLong lapses = new AtomicLong();

  /** The heartbeat of a round that began at {@code startedNanos} was written. */
  void heartbeatWritten(long startedNanos) {
    long previous = heartbeatNanos;
    if (previous != 0 && startedNanos - previous >= trustedNanos()) {
      lapses.incrementAndGet();
    }
    heartbeatNanos = startedNanos;
  }

  /** Whether no other instance can have taken this one for dead yet. */
  public boolean current() {
    if (!cluster.enabled()) {
      return true;
    }
    long last = heartbeatNanos;
    return last != 0 && System.nanoTime() - last < trustedNanos();
  }

  /**
   * How many times the heartbeat lapsed since the start: after each, a message memory held may
   * belong to another instance now.
   */
  public long lapses() {
    return lapses.get();
  }

  private long trustedNanos() {
    return cluster.leaseDuration().toNanos() / 4 * 3;
  }
}
