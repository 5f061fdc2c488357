package io.uplink.downstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DownstreamQueueCancelTest {

  private final DownstreamQueue queue = new DownstreamQueue();

  @BeforeEach
  void memoryWindow() {
    queue.settings = TestDownstreamSettings.defaults();
  }

  @Test
  void aQueuedMessageIsTakenOutAndNeverPolled() throws Exception {
    Outbound kept = message("kept");
    Outbound cancelled = message("cancelled");
    queue.accepted(kept, true);
    queue.offer(cancelled, Duration.ofSeconds(30));

    assertEquals(Optional.of(cancelled), queue.withdraw("sender", "cancelled"));
    assertEquals(kept, queue.poll("sender", Duration.ZERO).message());
    assertNull(queue.poll("sender", Duration.ZERO), "the cancelled one is gone");
    assertFalse(queue.cancelled(cancelled), "no mark for a message taken out of the queue");
  }

  @Test
  void aMessageNotQueuedIsMarkedOnceForTheDispatcher() {
    Outbound inFlight = message("in-flight");

    assertEquals(Optional.empty(), queue.withdraw("sender", "in-flight"));
    assertFalse(queue.cancelled(message("other")), "other messages go on");
    assertFalse(queue.cancelled(otherSender("in-flight")), "the same id of another sender too");
    assertTrue(queue.cancelled(inFlight), "the dispatcher drops it");
    assertFalse(queue.cancelled(inFlight), "the mark is used once");
  }

  private static Outbound message(String id) {
    return Outbound.accepted("sender", id, "token", "tok…", "{}", Instant.now().plusSeconds(60));
  }

  private static Outbound otherSender(String id) {
    return Outbound.accepted("other", id, "token", "tok…", "{}", Instant.now().plusSeconds(60));
  }
}
