package io.uplink.xmpp;

/**
 * Wakes the downstream dispatchers when a window may have room again: an answer from CCS freed a
 * place, or a stream connected. Thread-safe.
 */
final class SendRoom {

  private long generation;

  synchronized void signal() {
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
