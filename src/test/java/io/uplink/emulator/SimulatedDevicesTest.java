package io.uplink.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedDevicesTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void devicesSendNumberedMessagesAtTheRequestedRate() throws Exception {
    try (CcsEmulator emulator = CcsEmulator.builder().sender("1234", "key-1").build().start();
        SmackCcsClient client = SmackCcsClient.connect(emulator, "1234", "key-1")) {
      emulator.awaitConnections("1234", 1, WAIT);
      Set<String> seen = new HashSet<>();

      try (SimulatedDevices devices = SimulatedDevices.start(emulator, "1234", 3, 200)) {
        while (seen.size() < 30) {
          JsonObject json = Json.createReader(new StringReader(client.nextGcm(WAIT))).readObject();
          seen.add(json.getString("from") + "/" + json.getString("message_id"));
          client.ack(json.getString("from"), json.getString("message_id"));
          assertEquals(SimulatedDevices.CATEGORY, json.getString("category"));
        }
        assertTrue(devices.tokens().stream().allMatch(t -> t.matches("device-\\d-[0-9a-f]{12}")));
        assertTrue(seen.contains(devices.tokens().get(0) + "/1"), seen.toString());
      }
      emulator.await(() -> emulator.acks().size() >= 30, WAIT, "the acks");
      assertTrue(emulator.acks().stream().allMatch(AckRecord::valid));
    }
  }
}
