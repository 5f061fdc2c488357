package io.uplink.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.ccs.AckKey;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * When a stream counts as stalled: only a full window of messages all given back, and silence; a
 * message (or one copy of it) still in the gateway's hands, an ack or an arrival keeps it open.
 */
class UpstreamWindowTest {

  private final UpstreamWindow window = new UpstreamWindow();

  @Test
  void aFullWindowAllGivenBackAndSilentIsStalled() {
    givenBack(arrive(UpstreamWindow.SIZE));

    assertTrue(window.stalled(Duration.ZERO));
    assertFalse(window.ackedAny());
  }

  @Test
  void fewerThanAFullWindowIsNotStalled() {
    givenBack(arrive(UpstreamWindow.SIZE - 1));

    assertFalse(window.stalled(Duration.ZERO));
  }

  @Test
  void oneMessageStillInHandKeepsTheStreamOpen() {
    List<AckKey> keys = arrive(UpstreamWindow.SIZE);
    givenBack(keys.subList(1, keys.size()));

    assertFalse(window.stalled(Duration.ZERO), "a message held in a lane is not given back");
  }

  @Test
  void anAckMakesRoomInTheWindow() {
    List<AckKey> keys = arrive(UpstreamWindow.SIZE);
    givenBack(keys);
    window.acked(keys.get(0));

    assertFalse(window.stalled(Duration.ZERO));
    assertEquals(UpstreamWindow.SIZE - 1, window.unacked());
    assertTrue(window.ackedAny());
  }

  @Test
  void aMessageThatArrivesAgainIsInHandAgain() {
    List<AckKey> keys = arrive(UpstreamWindow.SIZE);
    givenBack(keys);
    window.arrived(keys.get(0));

    assertFalse(window.stalled(Duration.ZERO));
    assertEquals(UpstreamWindow.SIZE, window.unacked());
  }

  @Test
  void aCopyGivenBackLeavesTheFirstCopyInHand() {
    List<AckKey> keys = arrive(UpstreamWindow.SIZE);
    givenBack(keys.subList(1, keys.size()));
    window.arrived(keys.get(0));
    window.givenBack(keys.get(0));

    assertFalse(window.stalled(Duration.ZERO), "the first copy still waits in its lane");
    window.givenBack(keys.get(0));
    assertTrue(window.stalled(Duration.ZERO), "both copies given back");
  }

  @Test
  void aStreamIsNotStalledBeforeItHasBeenQuietLongEnough() {
    givenBack(arrive(UpstreamWindow.SIZE));

    assertFalse(window.stalled(Duration.ofHours(1)));
  }

  private List<AckKey> arrive(int count) {
    List<AckKey> keys =
        IntStream.range(0, count).mapToObj(i -> new AckKey("device-" + i, "m-" + i)).toList();
    keys.forEach(window::arrived);
    return keys;
  }

  private void givenBack(List<AckKey> keys) {
    keys.forEach(window::givenBack);
  }
}
