package io.uplink.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uplink.stats.CountersSnapshot.Count;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountersSnapshotTest {

  private final CountersSnapshot snapshot =
      new CountersSnapshot(
          List.of(
              new Count(Total.UPSTREAM_RECEIVED, "s1", null, 10),
              new Count(Total.UPSTREAM_RECEIVED, "s2", null, 5),
              new Count(Total.UPSTREAM_REJECTED, "s1", "MALFORMED_JSON", 2),
              new Count(Total.UPSTREAM_REJECTED, "s2", "MALFORMED_JSON", 1),
              new Count(Total.UPSTREAM_REJECTED, "s2", "OVERSIZED_DATA", 4),
              new Count(Total.DOWNSTREAM_ACCEPTED, "s1", null, 20),
              new Count(Total.DOWNSTREAM_ACKED, "s1", null, 11),
              new Count(Total.DOWNSTREAM_FAILED, "s1", null, 2),
              new Count(Total.DOWNSTREAM_EXPIRED, "s1", null, 1),
              new Count(Total.DOWNSTREAM_CANCELLED, "s1", null, 3)));

  @Test
  void totalsSumOverSendersAndLabels() {
    assertEquals(15, snapshot.total(Total.UPSTREAM_RECEIVED));
    assertEquals(7, snapshot.total(Total.UPSTREAM_REJECTED));
    assertEquals(0, snapshot.total(Total.UPSTREAM_ACKED));
  }

  @Test
  void aSendersTotalSumsOnlyItsSeries() {
    assertEquals(5, snapshot.total(Total.UPSTREAM_REJECTED, "s2"));
    assertEquals(10, snapshot.total(Total.UPSTREAM_RECEIVED, "s1"));
  }

  @Test
  void byLabelSumsEachLabelOverSenders() {
    assertEquals(
        Map.of("MALFORMED_JSON", 3L, "OVERSIZED_DATA", 4L),
        snapshot.byLabel(Total.UPSTREAM_REJECTED));
  }

  @Test
  void pendingIsWhatWasAcceptedAndHasNotEnded() {
    assertEquals(20 - 11 - 2 - 1 - 3, snapshot.downstreamPending());
  }
}
