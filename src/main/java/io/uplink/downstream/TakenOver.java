package io.uplink.downstream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sender's held messages that another instance took over while this one's heartbeat lapsed
 * ({@link io.uplink.cluster.LeaseFence}), and the lapse after which memory was last checked against
 * the outbox: the dispatcher lets these messages go instead of sending them. Thread-safe.
 */
final class TakenOver {

  private final Set<String> messageIds = ConcurrentHashMap.newKeySet();
  private volatile long lapsesChecked;

  /** The fence's lapse count when memory was last checked. */
  long lapsesChecked() {
    return lapsesChecked;
  }

  /** Memory was checked after the {@code lapses}-th lapse: these messages are another's now. */
  void checked(Set<String> takenOver, long lapses) {
    messageIds.addAll(takenOver);
    lapsesChecked = lapses;
  }

  boolean contains(String messageId) {
    return !messageIds.isEmpty() && messageIds.contains(messageId);
  }

  /** The message left memory. */
  void forget(String messageId) {
    messageIds.remove(messageId);
  }
}
