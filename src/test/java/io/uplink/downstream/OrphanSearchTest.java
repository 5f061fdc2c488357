package io.uplink.downstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a search for dead owners is due: an instance seen alive gone, or the interval over. */
class OrphanSearchTest {

  private static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final long START = 1_000_000_000L;
  private static final long SOON = START + Duration.ofSeconds(5).toNanos();

  @Test
  void notDueWhileEveryInstanceSeenIsStillAlive() {
    OrphanSearch search = new OrphanSearch(Set.of("a", "b"), START);

    assertFalse(search.due(Set.of("a", "b"), SOON, INTERVAL));
    assertFalse(search.due(Set.of("a", "b", "c"), SOON, INTERVAL), "a newcomer leaves no orphans");
  }

  @Test
  void dueOnceAnInstanceSeenAliveIsGone() {
    OrphanSearch search = new OrphanSearch(Set.of("a", "b"), START);

    assertTrue(search.due(Set.of("a"), SOON, INTERVAL));
  }

  @Test
  void anInstanceFirstSeenAtACheckCountsToo() {
    OrphanSearch search = new OrphanSearch(Set.of("a"), START).seeing(Set.of("a", "c"));

    assertFalse(search.due(Set.of("a", "c"), SOON, INTERVAL));
    assertTrue(search.due(Set.of("a"), SOON, INTERVAL), "c came after the search and is gone");
  }

  @Test
  void dueAfterTheIntervalWhateverWasSeen() {
    OrphanSearch search = new OrphanSearch(Set.of(), START);

    assertFalse(search.due(Set.of(), START + INTERVAL.toNanos() - 1, INTERVAL));
    assertTrue(search.due(Set.of(), START + INTERVAL.toNanos(), INTERVAL));
  }
}
