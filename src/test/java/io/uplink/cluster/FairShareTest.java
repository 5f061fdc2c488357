package io.uplink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FairShareTest {

  @Test
  void aLoneInstanceHoldsEveryConnection() {
    assertEquals(4, LeaseStore.fairShare(4, 1));
    assertEquals(4, LeaseStore.fairShare(4, 0), "no heartbeat seen yet counts as alone");
  }

  @Test
  void sharesAreRoundedUpSoThatTogetherTheInstancesHoldThemAll() {
    assertEquals(2, LeaseStore.fairShare(4, 2));
    assertEquals(2, LeaseStore.fairShare(4, 3));
    assertEquals(1, LeaseStore.fairShare(4, 4));
    for (int connections = 1; connections <= 64; connections++) {
      for (int instances = 1; instances <= 16; instances++) {
        int share = LeaseStore.fairShare(connections, instances);
        assertTrue(share * instances >= connections, connections + "/" + instances);
        assertTrue((share - 1) * instances < connections, "no larger than needed");
      }
    }
  }

  @Test
  void moreInstancesThanConnectionsLeaveSomeWithNone() {
    assertEquals(1, LeaseStore.fairShare(2, 5), "each may take one; the first two get them");
  }
}
