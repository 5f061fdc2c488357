package io.uplink.it;

/**
 * Ends what a test that runs its own processes started (servers, emulators, relays), in the order
 * given: the standalone-process tests share this end instead of each writing the loop.
 */
final class TestParts {

  private TestParts() {}

  /** Closes each part that was started (not null), in order; the first failure ends the loop. */
  static void close(AutoCloseable... parts) throws Exception {
    for (AutoCloseable part : parts) {
      if (part != null) {
        part.close();
      }
    }
  }
}
