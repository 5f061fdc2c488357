package io.uplink.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.uplink.api.RegistrationTokens;
import io.uplink.api.UpstreamMessage;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The failure text that is logged, stored as a dead letter's last error and shown by the API. */
class FailureTextTest {

  private static final String TOKEN = "fGz0QmHnT8eXoLongRegistrationTokenForTests1234567890";
  private static final UpstreamMessage MESSAGE =
      new UpstreamMessage(
          "123", TOKEN, "com.example.app", "m-1", Map.of(), Optional.empty(), Instant.now());

  @Test
  void isTheInnermostCauseWithTheDevicesTokenAbbreviatedWhereverItIsQuoted() {
    RuntimeException cause =
        new RuntimeException(
            "transaction rolled back",
            new IllegalStateException("duplicate key (" + TOKEN + ", m-1) for " + TOKEN));

    String text = FailureLedger.errorText(MESSAGE, cause);

    String abbreviated = RegistrationTokens.abbreviate(TOKEN);
    assertEquals(
        "java.lang.IllegalStateException: duplicate key ("
            + abbreviated
            + ", m-1) for "
            + abbreviated,
        text);
    assertFalse(text.contains(TOKEN));
  }
}
