package io.uplink.xmpp;

import io.uplink.ccs.AckKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream messages and receipts one stream carried that are not acked yet, and how many copies
 * of each the gateway still has in hand (queued or being delivered) rather than given back (left
 * unacked for CCS to redeliver: their delivery failed, or their lane had no room). CCS stops
 * sending on a stream that holds too many unacked messages and redelivers them only once the stream
 * closes (ccs-protocol.md §4.2), so a stream whose window is full of messages given back, none of
 * them still in the gateway's hands, and on which nothing arrives, is {@link #stalled}: nothing
 * more will come on it. Messages held in a lane (slow observers, an operator's pause, a fenced
 * lane) are still in hand and never make a stream stalled. Thread-safe.
 */
final class UpstreamWindow {

  /**
   * How many unacked upstream messages stop CCS from sending on a stream. §4.2 leaves the upstream
   * threshold unconfirmed; this is the documented downstream limit (§4.1), the one the emulator
   * applies upstream too.
   */
  static final int SIZE = 100;

  private final Set<AckKey> unacked = ConcurrentHashMap.newKeySet();
  private final Map<AckKey, Integer> inHand = new ConcurrentHashMap<>();
  private volatile long lastArrivalNanos = System.nanoTime();
  private volatile boolean ackedAny;

  /** A message to be acked on this stream arrived (a copy CCS sent again counts once more). */
  void arrived(AckKey key) {
    lastArrivalNanos = System.nanoTime();
    unacked.add(key);
    inHand.merge(key, 1, Integer::sum);
  }

  /** Something arrived that needs no tracking (a rejected stanza): the stream is not silent. */
  void arrived() {
    lastArrivalNanos = System.nanoTime();
  }

  void acked(AckKey key) {
    inHand.remove(key);
    unacked.remove(key);
    ackedAny = true;
  }

  /** The gateway left one copy of the message unacked for CCS to redeliver. */
  void givenBack(AckKey key) {
    inHand.computeIfPresent(key, (k, copies) -> copies > 1 ? copies - 1 : null);
  }

  /**
   * Whether CCS has stopped sending for good: a full window unacked, none of it in hand, and
   * nothing arrived for {@code quiet}. Reads what {@link #arrived(AckKey)} writes in the opposite
   * order, so that an arrival during the check is seen in one or the other.
   */
  boolean stalled(Duration quiet) {
    return inHand.isEmpty()
        && System.nanoTime() - lastArrivalNanos - quiet.toNanos() >= 0
        && unacked.size() >= SIZE;
  }

  int unacked() {
    return unacked.size();
  }

  /** Whether anything was acked on the stream: delivery got somewhere while it was open. */
  boolean ackedAny() {
    return ackedAny;
  }
}
