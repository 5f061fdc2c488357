package io.uplink.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  @Test
  void emptyRecorderReportsZeroes() {
    assertEquals(new LatencySnapshot(0, 0, 0, 0, 0, 0), new LatencyRecorder().lastMinute());
  }

  @Test
  void percentilesFollowTheRecordedLatenciesWithinTwoSignificantDigits() {
    LatencyRecorder recorder = new LatencyRecorder();
    for (int millis = 1; millis <= 1000; millis++) {
      recorder.record(Duration.ofMillis(millis));
    }

    LatencySnapshot snapshot = recorder.lastMinute();

    assertEquals(1000, snapshot.count());
    assertEquals(500, snapshot.p50Millis(), 5);
    assertEquals(900, snapshot.p90Millis(), 9);
    assertEquals(990, snapshot.p99Millis(), 10);
    assertEquals(1000, snapshot.maxMillis(), 10);
  }

  @Test
  void readingDoesNotForgetWhatWasRecorded() {
    LatencyRecorder recorder = new LatencyRecorder();
    recorder.record(Duration.ofMillis(3));
    recorder.lastMinute();
    recorder.record(Duration.ofMillis(5));

    assertEquals(2, recorder.lastMinute().count());
  }

  @Test
  void cumulativeBucketsCountEveryLatencySinceTheStartAtOrBelowTheirBound() {
    LatencyRecorder recorder = new LatencyRecorder();
    for (int millis = 1; millis <= 100; millis++) {
      recorder.record(Duration.ofMillis(millis));
    }
    recorder.lastMinute();
    recorder.record(Duration.ofSeconds(3));

    assertEquals(101, recorder.countSinceStart());
    assertEquals(10, recorder.countSinceStart(Duration.ofMillis(10)));
    assertEquals(50, recorder.countSinceStart(Duration.ofMillis(50)));
    assertEquals(100, recorder.countSinceStart(Duration.ofMillis(100)));
    assertEquals(100, recorder.countSinceStart(Duration.ofSeconds(2)));
    assertEquals(5050 + 3000, recorder.sumSinceStart().toMillis(), 80);
  }
}
