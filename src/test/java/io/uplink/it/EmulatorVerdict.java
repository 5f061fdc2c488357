package io.uplink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uplink.emulator.CcsEmulator;
import java.util.List;

/**
 * What the CCS emulator held against the gateway at one moment: protocol violations (its own
 * failures among them) and invalid acks. A test that checks only what it came for would pass with a
 * double ack or a send on a draining stream; every integration test checks that nothing was added
 * while it ran.
 *
 * @param violations how many violations were recorded
 * @param invalidAcks how many invalid acks were recorded
 */
record EmulatorVerdict(int violations, int invalidAcks) {

  /** Nothing recorded yet: for a test that has the emulator to itself. */
  static final EmulatorVerdict CLEAN = new EmulatorVerdict(0, 0);

  static EmulatorVerdict of(CcsEmulator emulator) {
    return new EmulatorVerdict(emulator.violations().size(), emulator.invalidAcks().size());
  }

  /** Fails with what the emulator recorded since this verdict. */
  void assertNothingAddedBy(CcsEmulator emulator) {
    List<?> violated = emulator.violations();
    List<?> invalid = emulator.invalidAcks();
    assertEquals(
        List.of(),
        violated.subList(Math.min(violations, violated.size()), violated.size()),
        "protocol violations");
    assertEquals(
        List.of(),
        invalid.subList(Math.min(invalidAcks, invalid.size()), invalid.size()),
        "invalid acks");
  }
}
