package io.uplink.downstream;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * When this instance last searched the outbox for a sender's dead owners, and which other instances
 * it has seen alive since. An instance's rows become orphans only once it stops being alive, so
 * until one of those instances is gone a new search could only find what the last one found: none.
 * The search reads every pending row of the sender, so it runs only when due. Immutable.
 *
 * @param seenAlive the other instances alive at the search or at a check since
 * @param atNanos when the search began ({@link System#nanoTime()})
 */
record OrphanSearch(Set<String> seenAlive, long atNanos) {

  OrphanSearch {
    seenAlive = Set.copyOf(seenAlive);
  }

  /**
   * Whether to search again: an instance seen alive is alive no longer, or {@code interval} has
   * passed since the search (for an instance that came and went between two checks).
   */
  boolean due(Set<String> aliveNow, long nowNanos, Duration interval) {
    return !aliveNow.containsAll(seenAlive) || nowNanos - atNanos >= interval.toNanos();
  }

  /** The same search, having also seen {@code aliveNow} alive at a check. */
  OrphanSearch seeing(Set<String> aliveNow) {
    if (seenAlive.containsAll(aliveNow)) {
      return this;
    }
    Set<String> seen = new HashSet<>(seenAlive);
    seen.addAll(aliveNow);
    return new OrphanSearch(seen, atNanos);
  }
}
