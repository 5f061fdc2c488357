package io.uplink.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The de-duplication key's digest: pinned to a value computed independently (Python's hashlib), so
 * that a change to it, which would orphan every stored record, fails here.
 */
class KeyDigestTest {

  @Test
  void isSha256OverEachPartsUtf8LengthAndBytes() {
    assertEquals(
        "d7b4cb925bfe59d3d8a45c9265f86c2e6874a4e881811a1ae44d2e4ddf998e0e",
        HexFormat.of().formatHex(KeyDigest.of("1", "é", "")),
        "SHA-256 of 00000001 31 00000002 c3a9 00000000");
  }

  @Test
  void theSameKeyAlwaysGivesTheSameDigest() {
    assertArrayEquals(KeyDigest.of("1234", "device", "m-1"), KeyDigest.of("1234", "device", "m-1"));
    assertEquals(KeyDigest.LENGTH, KeyDigest.of("1234", "device", "m-1").length);
  }

  @Test
  void partsDoNotRunTogether() {
    assertFalse(Arrays.equals(KeyDigest.of("1234", "ab", "c"), KeyDigest.of("1234", "a", "bc")));
    assertFalse(Arrays.equals(KeyDigest.of("12", "34", "x"), KeyDigest.of("1234", "", "x")));
  }
}
