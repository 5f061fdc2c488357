package io.uplink.downstream;

import io.uplink.stats.LatencyRecorder;
import io.uplink.stats.LatencySnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** Running totals of downstream sending, read by monitoring. Lock-free and thread-safe. */
@ApplicationScoped
public class DownstreamCounters {

  private final LongAdder accepted = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final LongAdder nacked = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder sendTimeouts = new LongAdder();
  private final LongAdder eventFailures = new LongAdder();
  private final LongAdder receipts = new LongAdder();
  private final LongAdder stanzaErrors = new LongAdder();
  private final LatencyRecorder sendToAnswer = new LatencyRecorder();

  void countAccepted() {
    accepted.increment();
  }

  /** Counts one stanza written to a connection (first sends and resends). */
  public void countSent() {
    sent.increment();
  }

  /** Records how long CCS took to ack or nack a message written to a connection. */
  public void recordAnswered(Duration sendToAnswer) {
    this.sendToAnswer.record(sendToAnswer);
  }

  /** Send-to-answer latency (CCS's ack or nack) over the last minute. */
  public LatencySnapshot sendToAck() {
    return sendToAnswer.lastMinute();
  }

  void countAcked() {
    acked.increment();
  }

  void countNacked() {
    nacked.increment();
  }

  void countRetried() {
    retried.increment();
  }

  void countFailed() {
    failed.increment();
  }

  void countSendTimeout() {
    sendTimeouts.increment();
  }

  void countEventFailure() {
    eventFailures.increment();
  }

  void countExpired() {
    expired.increment();
  }

  void countStanzaError() {
    stanzaErrors.increment();
  }

  void countReceipt() {
    receipts.increment();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long sent() {
    return sent.sum();
  }

  public long acked() {
    return acked.sum();
  }

  /** Nacks received, retried or not. */
  public long nacked() {
    return nacked.sum();
  }

  public long retried() {
    return retried.sum();
  }

  /** Sends that ended without an ack: final nacks, retries used up, stanza errors. */
  public long failed() {
    return failed.sum();
  }

  /** Messages whose {@code time_to_live} ran out before they could be written to CCS. */
  public long expired() {
    return expired.sum();
  }

  /**
   * Sends whose caller stopped waiting after the send timeout without room on any connection; the
   * messages themselves stayed pending.
   */
  public long sendTimeouts() {
    return sendTimeouts.sum();
  }

  /** Attempts to hand a token event to the application whose observer (or commit) failed. */
  public long eventFailures() {
    return eventFailures.sum();
  }

  public long receipts() {
    return receipts.sum();
  }

  /** Stanza errors CCS sent (§3.5), whether or not they named a message. */
  public long stanzaErrors() {
    return stanzaErrors.sum();
  }

  /** Accepted messages not yet acked, failed or expired. */
  public long pending() {
    return accepted.sum() - acked.sum() - failed.sum() - expired.sum();
  }
}
