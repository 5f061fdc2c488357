package io.uplink.downstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.config.DownstreamSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The nack table of ccs-protocol.md §3.4 and the retry delays that go with it. */
class NackPolicyTest {

  private static final DownstreamSettings SETTINGS = TestDownstreamSettings.defaults();

  @Test
  void everyCodeOfTheProtocolHasItsAction() {
    assertEquals(NackAction.INVALIDATE_TOKEN, NackAction.of("BAD_REGISTRATION"));
    assertEquals(NackAction.INVALIDATE_TOKEN, NackAction.of("DEVICE_UNREGISTERED"));
    assertEquals(NackAction.SLOW_DOWN, NackAction.of("DEVICE_MESSAGE_RATE_EXCEEDED"));
    assertEquals(NackAction.SLOW_DOWN, NackAction.of("TOPICS_MESSAGE_RATE_EXCEEDED"));
    assertEquals(NackAction.RESEND_NOW, NackAction.of("CONNECTION_DRAINING"));
    assertEquals(NackAction.FAIL, NackAction.of("INVALID_JSON"));
    assertEquals(NackAction.FAIL, NackAction.of("BAD_ACK"));
    assertEquals(NackAction.PAUSE_SENDER, NackAction.of("SERVICE_UNAVAILABLE"));
    assertEquals(NackAction.PAUSE_SENDER, NackAction.of("INTERNAL_SERVER_ERROR"));
  }

  @Test
  void anUnknownCodeIsRetriedAndCaseDoesNotMatter() {
    assertEquals(NackAction.RETRY_WITH_BACKOFF, NackAction.of("SOMETHING_NEW"));
    assertEquals(NackAction.INVALIDATE_TOKEN, NackAction.of("device_unregistered"));
  }

  @Test
  void retriesWaitExponentiallyWithUpToHalfAgainAsJitterAndACap() {
    long[] bases = {1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000};
    for (int attempt = 0; attempt < bases.length; attempt++) {
      long delay = RetryBackoff.after(SETTINGS, attempt, 1).toMillis();
      long base = bases[attempt];
      assertTrue(delay >= base && delay <= base * 3 / 2, "retry " + attempt + ": " + delay);
    }
  }

  @Test
  void aRetryAfterIsHonouredUpToItsCap() {
    assertEquals(Duration.ofMinutes(5), RetryBackoff.honoured(SETTINGS, Duration.ofMinutes(5)));
    assertEquals(Duration.ofHours(1), RetryBackoff.honoured(SETTINGS, Duration.ofDays(30)));
  }

  @Test
  void aRateLimitedTargetWaitsTenTimesLonger() {
    long delay = RetryBackoff.after(SETTINGS, 0, 10).toMillis();
    assertTrue(delay >= 10_000 && delay <= 15_000, String.valueOf(delay));
    long capped = RetryBackoff.after(SETTINGS, 30, 10).toMillis();
    assertTrue(capped >= 600_000 && capped <= 900_000, String.valueOf(capped));
  }
}
