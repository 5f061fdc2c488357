package io.uplink.downstream;

/**
 * Wakes the downstream dispatchers when a window may have room again: an answer freed a place, or a
 * connection came up. Thread-safe.
 */
public final class SendRoom {

  private long generation;

  public synchronized void signal() {
    generation++;
    notifyAll();
  }

  /** Waits until signalled or the timeout passed. */
  synchronized void await(long timeoutMillis) throws InterruptedException {
    long seen = generation;
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (generation == seen) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      wait(left);
    }
  }
}
