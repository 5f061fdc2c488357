package io.uplink.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RegistrationTokensTest {

  @Test
  void longTokenShowsOnlyItsStartAndLength() {
    String token = "dXk3Yz1qABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    String shown = RegistrationTokens.abbreviate(token);
    assertEquals("dXk3Yz1q…(" + token.length() + ")", shown);
    assertFalse(shown.contains("ABCDEFG"));
  }

  @Test
  void shortValuesAreShownAsTheyAre() {
    assertEquals("gcm", RegistrationTokens.abbreviate("gcm"));
    assertEquals("null", RegistrationTokens.abbreviate(null));
  }
}
