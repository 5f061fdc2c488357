package io.uplink.xmpp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The streams of one slot that are on their way out while the slot goes on: those CCS is draining
 * (§4.5), still read and acked until CCS closes them, and those this side retires (an operator's
 * drain, standing by), which close once CCS has answered every downstream message they sent, or
 * once the drain timeout is over. Thread-safe.
 */
final class RetiringStreams {

  private static final long CHECK_MILLIS = 100;

  private final PoolContext context;
  private final Set<CcsStream> draining = ConcurrentHashMap.newKeySet();
  private final Set<CcsStream> retiring = ConcurrentHashMap.newKeySet();

  RetiringStreams(PoolContext context) {
    this.context = context;
  }

  /** CCS drains the stream: keep reading it until CCS closes it. */
  void drainedByCcs(CcsStream stream) {
    draining.add(stream);
  }

  /**
   * This side retires the stream; it closes once quiet, counted from {@link #closeQuietOnes} (when
   * a replacement is up) or from {@link #closeWhenQuiet}.
   */
  void retire(CcsStream stream) {
    draining.add(stream);
    retiring.add(stream);
  }

  /** Starts closing every retired stream once it is quiet: its replacement is up. */
  void closeQuietOnes() {
    retiring.forEach(this::closeWhenQuiet);
  }

  /**
   * Forgets a stream that ended.
   *
   * @return whether it was one of these, rather than the slot's current stream
   */
  boolean ended(CcsStream stream) {
    retiring.remove(stream);
    return draining.remove(stream);
  }

  /** Ends every one of them: the slot closes. */
  void closeAll() {
    for (CcsStream stream : draining) {
      stream.close();
    }
    draining.clear();
    retiring.clear();
  }

  int count() {
    return draining.size();
  }

  /**
   * Closes a retired stream once CCS has answered every downstream message it sent, or once the
   * drain timeout is over.
   */
  void closeWhenQuiet(CcsStream stream) {
    long deadline = System.nanoTime() + context.ccs().drainTimeout().toNanos();
    Runnable check =
        new Runnable() {
          @Override
          public void run() {
            if (!retiring.contains(stream)) {
              return;
            }
            if (stream.pending() == 0 || System.nanoTime() - deadline > 0) {
              retiring.remove(stream);
              stream.connection().disconnect();
            } else {
              context.scheduler().schedule(this, CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
          }
        };
    context.scheduler().schedule(check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }
}
