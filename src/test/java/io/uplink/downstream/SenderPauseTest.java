package io.uplink.downstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.config.DownstreamSettings;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A sender's pause: its backoff, Retry-After and its cap, the probe, and the end of a pause. */
class SenderPauseTest {

  private static final DownstreamSettings SETTINGS =
      TestDownstreamSettings.withRetryAfterMax(Duration.ofMinutes(10));

  private long now = 1_000_000_000L;
  private final SenderPause pause = new SenderPause("sender", SETTINGS, () -> now);

  private void advance(Duration by) {
    now += by.toNanos();
  }

  @Test
  void aSenderNeverPausedSendsFreely() {
    assertTrue(pause.mayTry());
    pause.sending();
    assertTrue(pause.mayTry());
    assertEquals(Optional.empty(), pause.reason());
  }

  @Test
  void pausesFollowingEachOtherDoubleUpToTheCap() {
    long[] bases = {1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000};
    for (long base : bases) {
      assertTrue(pause.pause("UNAVAILABLE", Duration.ZERO), "a new pause starts");
      long left = pause.left().toMillis();
      assertTrue(left >= base && left <= base * 3 / 2, base + ": " + left);
      assertFalse(pause.mayTry(), "nothing goes while paused");
      advance(pause.left());
      assertTrue(pause.mayTry(), "a probe may go once the pause is over");
      pause.sending();
    }
    assertEquals(Optional.of("UNAVAILABLE"), pause.reason());
  }

  @Test
  void aRetryAfterLongerThanTheBackoffIsHonouredUpToItsCap() {
    pause.pause("QUOTA_EXCEEDED", Duration.ofMinutes(3));
    assertEquals(Duration.ofMinutes(3), pause.left());
    advance(pause.left());
    pause.sending();
    pause.pause("QUOTA_EXCEEDED", Duration.ofDays(2));
    assertEquals(Duration.ofMinutes(10), pause.left(), "capped by retry-after-max");
  }

  @Test
  void failuresDuringAPauseOnlyLengthenItToTheirRetryAfter() {
    pause.pause("UNAVAILABLE", Duration.ofSeconds(5));
    advance(Duration.ofSeconds(1));
    assertFalse(pause.pause("UNAVAILABLE", Duration.ZERO), "the pause in force goes on");
    assertEquals(Duration.ofSeconds(4), pause.left());
    assertFalse(pause.pause("UNAVAILABLE", Duration.ofSeconds(20)));
    assertEquals(Duration.ofSeconds(20), pause.left());
  }

  @Test
  void afterAPauseOneProbeGoesAndTheRestWaitForItsAnswer() {
    pause.pause("no answer from FCM", Duration.ZERO);
    advance(pause.left());
    assertTrue(pause.mayTry());
    pause.sending();
    assertFalse(pause.mayTry(), "one probe at a time");
    advance(SenderPause.PROBE_TIMEOUT.plusMillis(1));
    assertTrue(pause.mayTry(), "an unanswered probe is replaced");
    pause.sending();
    pause.served();
    assertTrue(pause.mayTry());
    assertEquals(Optional.empty(), pause.reason());
    assertEquals(Duration.ZERO, pause.left());
  }

  @Test
  void aProbeNoChannelTookOrWhoseConnectionClosedIsReplacedAtOnce() {
    pause.pause("UNAVAILABLE", Duration.ZERO);
    advance(pause.left());
    pause.sending();
    pause.notSent();
    assertTrue(pause.mayTry(), "no probe went");
    pause.sending();
    pause.probeLost();
    assertTrue(pause.mayTry(), "the probe's connection closed");
  }

  @Test
  void aProbeFailingBeforeTheDispatcherReturnsStartsTheNextPauseWithoutAStaleProbe() {
    pause.pause("UNAVAILABLE", Duration.ZERO);
    advance(pause.left());
    pause.sending();
    pause.pause("UNAVAILABLE", Duration.ZERO);
    advance(pause.left());
    assertTrue(pause.mayTry(), "the next probe goes when the second pause ends, not 30 s later");
  }

  @Test
  void aPauseThatEndedWithNothingToProbeIsNotReportedButTheNextFailurePausesLonger() {
    pause.pause("UNAVAILABLE", Duration.ZERO);
    advance(pause.left());
    assertEquals(Optional.of("UNAVAILABLE"), pause.reason(), "the probe is due");
    advance(SenderPause.PROBE_DUE);
    assertEquals(Optional.empty(), pause.reason(), "no pause in force, no probe out");
    assertTrue(pause.pause("UNAVAILABLE", Duration.ZERO));
    assertTrue(pause.left().toMillis() >= 2000, pause.left().toString());
    assertEquals(Optional.of("UNAVAILABLE"), pause.reason());
  }

  @Test
  void aFailureSoonAfterAnotherMessageWasServedIsThatMessagesOwn() {
    assertFalse(pause.servedRecently());
    pause.served();
    assertTrue(pause.servedRecently());
    advance(SenderPause.RECENTLY.plusMillis(1));
    assertFalse(pause.servedRecently());
  }

  @Test
  void aFailedProbeStartsTheNextLongerPauseAndServiceResetsTheBackoff() {
    pause.pause("UNAVAILABLE", Duration.ZERO);
    advance(pause.left());
    pause.sending();
    assertTrue(pause.pause("UNAVAILABLE", Duration.ZERO), "the probe failed");
    assertTrue(pause.left().toMillis() >= 2000, pause.left().toString());
    advance(pause.left());
    pause.sending();
    pause.served();
    pause.pause("INTERNAL", Duration.ZERO);
    assertTrue(pause.left().toMillis() <= 1500, "from the first backoff again: " + pause.left());
    assertEquals(Optional.of("INTERNAL"), pause.reason());
  }
}
