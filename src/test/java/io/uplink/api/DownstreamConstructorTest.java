package io.uplink.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every way to make a {@link Downstream}, not only the builder, checks the rules. */
class DownstreamConstructorTest {

  private static final String TOKEN = "token-0123456789abcdef";

  private static Downstream direct(
      Optional<String> to,
      Optional<String> condition,
      Optional<Integer> timeToLive,
      Map<String, String> data) {
    return new Downstream(
        to,
        condition,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        timeToLive,
        false,
        false,
        data,
        Optional.empty());
  }

  @Test
  void theCanonicalConstructorRefusesWhatTheBuilderRefuses() {
    assertThrows(
        InvalidDownstreamException.class,
        () -> direct(Optional.of(TOKEN), Optional.of("'a' in topics"), Optional.empty(), Map.of()));
    assertThrows(
        InvalidDownstreamException.class,
        () -> direct(Optional.of(" "), Optional.empty(), Optional.empty(), Map.of()));
    assertThrows(
        InvalidDownstreamException.class,
        () ->
            direct(
                Optional.of(TOKEN),
                Optional.empty(),
                Optional.of(Downstream.MAX_TIME_TO_LIVE + 1),
                Map.of()));
    assertThrows(
        InvalidDownstreamException.class,
        () -> direct(Optional.of(TOKEN), Optional.empty(), Optional.empty(), Map.of("from", "x")));
    assertThrows(
        InvalidDownstreamException.class,
        () ->
            direct(
                Optional.of("/topics/news"),
                Optional.empty(),
                Optional.empty(),
                Map.of("k", "v".repeat(Downstream.MAX_TOPIC_PAYLOAD_BYTES))));
  }

  @Test
  void anAssignedMessageIdIsCheckedToo() {
    Downstream message = Downstream.to(TOKEN).build();
    assertThrows(InvalidDownstreamException.class, () -> message.withMessageId(" "));
    assertThrows(
        InvalidDownstreamException.class,
        () -> message.withMessageId("m".repeat(Downstream.MAX_MESSAGE_ID_LENGTH + 1)));
    assertEquals(Optional.of("m-1"), message.withMessageId("m-1").messageId());
  }

  @Test
  void aValidMessageMadeDirectlyEqualsTheBuiltOne() {
    assertEquals(
        Downstream.to(TOKEN).data("k", "v").build(),
        direct(Optional.of(TOKEN), Optional.empty(), Optional.empty(), Map.of("k", "v")));
  }
}
