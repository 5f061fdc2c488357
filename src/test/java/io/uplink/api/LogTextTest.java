package io.uplink.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void lineBreaksAndOtherControlCharactersAreEscaped() {
    assertEquals(
        "com.evil\\u000a[SEVERE] forged\\u0000line",
        LogText.escape("com.evil\n[SEVERE] forged\u0000line"));
  }

  @Test
  void printableTextIsUnchanged() {
    assertEquals("com.example.app ü", LogText.escape("com.example.app ü"));
    assertNull(LogText.escape(null));
  }
}
