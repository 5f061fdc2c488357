package io.uplink.downstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SenderBacklogTest {

  private final FakeOutbox outbox = new FakeOutbox();

  @Test
  void memoryHoldsTheWindowAndTheRestIsPagedInByOrder() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 4, outbox, Duration.ofMinutes(1));
    for (long id = 1; id <= 10; id++) {
      backlog.accepted(outbox.commit(id), true);
    }
    assertEquals(4, backlog.held(), "the window, no more");

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      backlog.refill();
      DownstreamQueue.Ready ready = backlog.poll(Duration.ZERO);
      sent.add(ready.message().messageId());
      outbox.end(backlog, ready.message());
      assertTrue(backlog.held() <= 4, "never more than the window: " + backlog.held());
    }
    backlog.refill();
    assertNull(backlog.poll(Duration.ZERO), "each sent once");
    assertEquals(
        List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10"), sent, "by order");
  }

  @Test
  void heldMessagesAreNotPagedInAgainWhileInFlight() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 6, outbox, Duration.ofMinutes(1));
    for (long id = 1; id <= 7; id++) {
      backlog.accepted(outbox.commit(id), true);
    }
    DownstreamQueue.Ready inFlight = backlog.poll(Duration.ZERO);
    for (int i = 0; i < 3; i++) {
      outbox.end(backlog, backlog.poll(Duration.ZERO).message());
    }
    backlog.refill();

    List<String> queued = new ArrayList<>();
    for (DownstreamQueue.Ready ready = backlog.poll(Duration.ZERO);
        ready != null;
        ready = backlog.poll(Duration.ZERO)) {
      queued.add(ready.message().messageId());
    }
    assertEquals(List.of("m5", "m6", "m7"), queued, "m1 awaits its answer, still held");
    outbox.end(backlog, inFlight.message());
  }

  @Test
  void messagesAwaitingTheirAnswersCountAgainstTheWindow() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 2, outbox, Duration.ofMinutes(1));
    for (long id = 1; id <= 3; id++) {
      backlog.accepted(outbox.commit(id), true);
    }
    backlog.poll(Duration.ZERO);
    backlog.poll(Duration.ZERO);
    backlog.refill();

    assertNull(backlog.poll(Duration.ZERO), "m1 and m2 not yet recorded fill the window");
    assertEquals(2, backlog.held());
  }

  @Test
  void aMessageEndingWhileAPageIsReadIsNotBroughtBack() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 4, outbox, Duration.ofMinutes(1));
    for (long id = 1; id <= 5; id++) {
      backlog.accepted(outbox.commit(id), true);
    }
    Outbound first = backlog.poll(Duration.ZERO).message();
    outbox.end(backlog, backlog.poll(Duration.ZERO).message());
    outbox.end(backlog, backlog.poll(Duration.ZERO).message());
    Outbound fourth = backlog.poll(Duration.ZERO).message();
    outbox.duringRead = () -> outbox.endWithoutRemoving(backlog, first);
    outbox.staleLoads = true;
    backlog.refill();

    assertEquals("m5", backlog.poll(Duration.ZERO).message().messageId());
    assertNull(backlog.poll(Duration.ZERO), "m1 ended during the read, though it read pending");
    outbox.end(backlog, fourth);
  }

  @Test
  void aCommitLandingBelowThePagesIsFoundByThePassFromTheStart() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 2, outbox, Duration.ofMinutes(1));
    backlog.accepted(outbox.commit(2), true);
    backlog.accepted(outbox.commit(3), true);
    backlog.accepted(outbox.commit(4), true);
    outbox.end(backlog, backlog.poll(Duration.ZERO).message());
    outbox.end(backlog, backlog.poll(Duration.ZERO).message());
    outbox.duringRead =
        () -> {
          outbox.duringRead = () -> {};
          backlog.accepted(outbox.commit(1), true);
        };

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      backlog.refill();
      DownstreamQueue.Ready ready = backlog.poll(Duration.ZERO);
      if (ready != null) {
        sent.add(ready.message().messageId());
        outbox.end(backlog, ready.message());
      }
    }
    assertEquals(List.of("m4", "m1"), sent, "id 1 committed after the pages passed it");
  }

  @Test
  void aPendingRowMemoryLostIsFoundByTheRescan() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 4, outbox, Duration.ZERO);
    outbox.commit(7);
    backlog.refill();

    assertEquals("m7", backlog.poll(Duration.ZERO).message().messageId());
  }

  @Test
  void theCallerOfASpilledMessageGetsTheResultOfThePagedInCopy() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 2, outbox, Duration.ofMinutes(1));
    backlog.accepted(outbox.commit(1), true);
    backlog.accepted(outbox.commit(2), true);
    Outbound spilled = outbox.commit(3);
    backlog.accepted(spilled, true);
    outbox.end(backlog, backlog.poll(Duration.ZERO).message());
    backlog.refill();

    backlog.poll(Duration.ZERO);
    Outbound pagedIn = backlog.poll(Duration.ZERO).message();
    assertEquals("m3", pagedIn.messageId());
    assertSame(spilled.result(), pagedIn.result());
  }

  @Test
  void theWaitOfASpilledMessagesCallerEndsAndTheMessageStays() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 2, outbox, Duration.ofMinutes(1));
    backlog.accepted(outbox.commit(1), true);
    backlog.accepted(outbox.commit(2), true);
    Outbound spilled = outbox.commit(3);
    backlog.accepted(spilled, true);

    List<SenderBacklog.WaitingCaller> over = backlog.waitedLongerThan(Duration.ZERO);
    assertEquals(List.of("m3"), over.stream().map(SenderBacklog.WaitingCaller::messageId).toList());
    assertSame(spilled.result(), over.get(0).result());
    assertTrue(backlog.waitedLongerThan(Duration.ZERO).isEmpty(), "told once");

    outbox.end(backlog, backlog.poll(Duration.ZERO).message());
    backlog.refill();
    backlog.poll(Duration.ZERO);
    Outbound pagedIn = backlog.poll(Duration.ZERO).message();
    assertEquals("m3", pagedIn.messageId(), "still sent");
    assertFalse(pagedIn.result() == spilled.result(), "for nobody");
  }

  @Test
  void nothingOfASpilledMessageWhoseResultNobodyAwaitsStaysInMemory() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 2, outbox, Duration.ofMinutes(1));
    backlog.accepted(outbox.commit(1), false);
    backlog.accepted(outbox.commit(2), false);
    backlog.accepted(outbox.commit(3), false);

    assertEquals(2, backlog.held());
    assertTrue(backlog.waitedLongerThan(Duration.ZERO).isEmpty(), "no caller kept");
  }

  @Test
  void aRowCommittedBeforeItsAcceptanceIsNotPagedInMeanwhile() throws Exception {
    SenderBacklog backlog = new SenderBacklog("sender", 4, outbox, Duration.ZERO);
    Outbound committed = outbox.commit(1);
    backlog.committing(committed);
    backlog.refill();
    backlog.accepted(committed, true);

    Outbound queued = backlog.poll(Duration.ZERO).message();
    assertNull(backlog.poll(Duration.ZERO), "queued once");
    assertSame(committed.result(), queued.result(), "for its caller");
  }

  /** Pending rows owned by this instance, by outbox id. */
  private static final class FakeOutbox implements OutboxPages {

    private final Map<Long, Outbound> pending = new TreeMap<>();
    private final Map<Long, Outbound> loadable = new TreeMap<>();
    Runnable duringRead = () -> {};
    boolean staleLoads;

    Outbound commit(long id) {
      Outbound message =
          new Outbound(
              "sender",
              "m" + id,
              "token",
              "tok…",
              "{}",
              Instant.now().plusSeconds(60),
              0,
              new CompletableFuture<>());
      pending.put(id, message);
      loadable.put(id, message);
      return message;
    }

    void end(SenderBacklog backlog, Outbound message) {
      pending.values().remove(message);
      loadable.values().removeIf(m -> m.messageId().equals(message.messageId()));
      backlog.ended(message.messageId());
    }

    void endWithoutRemoving(SenderBacklog backlog, Outbound message) {
      pending.values().removeIf(m -> m.messageId().equals(message.messageId()));
      backlog.ended(message.messageId());
    }

    @Override
    public List<PendingRow> pendingAfter(String senderId, long afterId, int limit) {
      List<PendingRow> rows = new ArrayList<>();
      pending.forEach(
          (id, message) -> {
            if (id > afterId && rows.size() < limit) {
              rows.add(new PendingRow(id, message.messageId()));
            }
          });
      duringRead.run();
      return rows;
    }

    @Override
    public List<Outbound> load(String senderId, List<Long> ids) {
      Map<Long, Outbound> from = staleLoads ? loadable : pending;
      return ids.stream()
          .filter(from::containsKey)
          .map(id -> from.get(id))
          .map(
              m ->
                  new Outbound(
                      m.senderId(),
                      m.messageId(),
                      m.targetKey(),
                      m.target(),
                      m.json(),
                      m.expiresAt(),
                      0,
                      new CompletableFuture<>()))
          .toList();
    }
  }
}
