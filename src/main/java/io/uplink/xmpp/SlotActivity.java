package io.uplink.xmpp;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one slot's streams carried, for monitoring: upstream messages read, downstream messages
 * written, and when the last stanza passed either way. Thread-safe; readers and the reader and
 * sender threads share it.
 */
final class SlotActivity {

  private final LongAdder upstreamReceived = new LongAdder();
  private final LongAdder downstreamSent = new LongAdder();
  private volatile Instant last;

  void received(boolean upstream) {
    if (upstream) {
      upstreamReceived.increment();
    }
    last = Instant.now();
  }

  void sent() {
    downstreamSent.increment();
    last = Instant.now();
  }

  Optional<Instant> last() {
    return Optional.ofNullable(last);
  }

  long upstreamReceived() {
    return upstreamReceived.sum();
  }

  long downstreamSent() {
    return downstreamSent.sum();
  }
}
