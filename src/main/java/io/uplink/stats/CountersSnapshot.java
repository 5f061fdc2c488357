package io.uplink.stats;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's totals at one moment, as the MXBeans, the status API and tests read them: one
 * {@link Count} per series (a total, its sender, its label). Immutable.
 */
public record CountersSnapshot(List<Count> counts) {

  /** One series of a total and its value. */
  public record Count(Total total, String senderId, String labelValue, long value) {}

  public CountersSnapshot {
    counts = List.copyOf(counts);
  }

  /** The total over every sender and label. */
  public long total(Total total) {
    return counts.stream().filter(c -> c.total() == total).mapToLong(Count::value).sum();
  }

  /** The total of one sender, over every label. */
  public long total(Total total, String senderId) {
    return counts.stream()
        .filter(c -> c.total() == total && senderId.equals(c.senderId()))
        .mapToLong(Count::value)
        .sum();
  }

  /** The total split by its label (a reject's reason, a nack's code), summed over senders. */
  public Map<String, Long> byLabel(Total total) {
    Map<String, Long> byLabel = new TreeMap<>();
    counts.stream()
        .filter(c -> c.total() == total && c.labelValue() != null)
        .forEach(c -> byLabel.merge(c.labelValue(), c.value(), Long::sum));
    return byLabel;
  }

  /**
   * Downstream messages accepted and not yet at an end: acked, failed, expired or cancelled. Only
   * this instance's, since it started.
   */
  public long downstreamPending() {
    return total(Total.DOWNSTREAM_ACCEPTED)
        - Total.DOWNSTREAM_ENDS.stream().mapToLong(this::total).sum();
  }
}
