package io.uplink.upstream;

import io.uplink.config.UpstreamSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The delivery attempts of this instance whose commit failed after their work was done: the commit
 * may have happened with only its answer lost, so the attempt was counted as failed and its message
 * left unacked although its observers' work is in the database. When CCS redelivers such a message
 * and it turns out a duplicate, the id of its de-duplication record tells whether that attempt
 * wrote it; if so the delivery is counted as delivered after all and what runs after a commit runs
 * then ({@code AFTER_SUCCESS} and {@code @ObservesAsync} observers). Holds at most {@link
 * #CAPACITY} attempts, each until its message comes back or the de-duplication retention has passed
 * (lanes remembering at the same moment may pass the bound by a few); memory only, so an attempt in
 * doubt when the instance stops stays a plain duplicate. Thread-safe.
 */
@ApplicationScoped
public class InDoubtCommits {

  private static final Logger LOG = Logger.getLogger(InDoubtCommits.class.getName());

  /** How many messages of attempts in doubt are remembered at most. */
  static final int CAPACITY = 10_000;

  @Inject UpstreamSettings settings;

  private final Map<UpstreamKey, Attempt> attempts = new ConcurrentHashMap<>();

  /** The record id an attempt wrote, and when it was found in doubt. */
  private record Attempt(Object recordId, long sinceNanos) {}

  /** Remembers the records of an attempt whose commit failed after its work was done. */
  void remember(Map<UpstreamKey, Object> recorded) {
    if (recorded.isEmpty()) {
      return;
    }
    if (attempts.size() + recorded.size() > CAPACITY) {
      forgetExpired();
    }
    long now = System.nanoTime();
    int forgotten = 0;
    for (Map.Entry<UpstreamKey, Object> record : recorded.entrySet()) {
      if (attempts.size() < CAPACITY || attempts.containsKey(record.getKey())) {
        attempts.put(record.getKey(), new Attempt(record.getValue(), now));
      } else {
        forgotten++;
      }
    }
    if (forgotten > 0) {
      LOG.warning(
          forgotten
              + " upstream message(s) whose delivery's commit failed are not remembered ("
              + CAPACITY
              + " are already): if that commit happened, their redelivery counts as a duplicate");
    }
  }

  /**
   * The record id an attempt in doubt wrote for the message, forgotten now: asked for each message
   * delivered, so that the attempt of a message delivered again is not kept.
   */
  Optional<Object> take(UpstreamKey key) {
    if (attempts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(attempts.remove(key)).map(Attempt::recordId);
  }

  /** Remembers again an attempt whose redelivery could not be settled (the database failed). */
  void putBack(UpstreamKey key, Object recordId) {
    remember(Map.of(key, recordId));
  }

  private void forgetExpired() {
    long now = System.nanoTime();
    long retention = settings.dedupRetention().toNanos();
    attempts.values().removeIf(attempt -> now - attempt.sinceNanos() - retention > 0);
  }
}
