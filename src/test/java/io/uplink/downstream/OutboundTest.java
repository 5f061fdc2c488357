package io.uplink.downstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.api.Downstream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutboundTest {

  private static final Instant ACCEPTED = Instant.parse("2026-11-27T12:00:00Z");

  @Test
  void aMessageWrittenOnTimeKeepsItsJson() {
    Outbound message = withTtl("{\"message_id\":\"m\",\"time_to_live\":600,\"to\":\"t\"}", 600);
    assertEquals(message.json(), message.jsonAt(ACCEPTED.plusMillis(800)));
  }

  @Test
  void aLateMessageCarriesOnlyWhatIsLeftOfItsTimeToLive() {
    Outbound message = withTtl("{\"message_id\":\"m\",\"time_to_live\":600,\"to\":\"t\"}", 600);
    assertEquals(
        "{\"message_id\":\"m\",\"time_to_live\":480,\"to\":\"t\"}",
        message.jsonAt(ACCEPTED.plusSeconds(120)));
  }

  @Test
  void aLateMessageWithTheDefaultTimeToLiveGetsOneWritten() {
    Outbound message = withTtl("{\"message_id\":\"m\",\"to\":\"t\"}", Downstream.MAX_TIME_TO_LIVE);
    assertEquals(message.json(), message.jsonAt(ACCEPTED));
    assertEquals(
        "{\"message_id\":\"m\",\"to\":\"t\",\"time_to_live\":"
            + (Downstream.MAX_TIME_TO_LIVE - 3600)
            + "}",
        message.jsonAt(ACCEPTED.plusSeconds(3600)));
  }

  @Test
  void expiryIsAfterTheTimeToLive() {
    Outbound message = withTtl("{\"message_id\":\"m\",\"time_to_live\":60,\"to\":\"t\"}", 60);
    assertFalse(message.expired(ACCEPTED.plusSeconds(60)));
    assertTrue(message.expired(ACCEPTED.plusSeconds(61)));
  }

  private static Outbound withTtl(String json, int seconds) {
    return Outbound.accepted("s", "m", "t", "t", json, ACCEPTED.plusSeconds(seconds));
  }
}
