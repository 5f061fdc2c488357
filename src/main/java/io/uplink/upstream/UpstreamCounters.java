package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;
import io.uplink.ccs.RejectReason;
import io.uplink.stats.LatencyRecorder;
import io.uplink.stats.LatencySnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of the upstream pipeline, read by monitoring. Lock-free and thread-safe; totals
 * only grow while the application is deployed.
 */
@ApplicationScoped
public class UpstreamCounters {

  private final LongAdder received = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder observerFailures = new LongAdder();
  private final LongAdder notQueued = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Map<RejectReason, LongAdder> rejectedByReason = new EnumMap<>(RejectReason.class);
  private final LatencyRecorder receiveToAck = new LatencyRecorder();

  public UpstreamCounters() {
    for (RejectReason reason : RejectReason.values()) {
      rejectedByReason.put(reason, new LongAdder());
    }
  }

  void countReceived() {
    received.increment();
  }

  void countOutcome(DeliveryOutcome outcome) {
    switch (outcome) {
      case DELIVERED -> delivered.increment();
      case DUPLICATE -> duplicates.increment();
      case DEAD_LETTERED -> deadLettered.increment();
      case RETRY -> {}
    }
  }

  void countRejected(RejectReason reason) {
    rejected.increment();
    rejectedByReason.get(reason).increment();
  }

  void countAcked(UpstreamMessage message) {
    countAcked();
    receiveToAck.record(Duration.between(message.receivedAt(), Instant.now()));
  }

  void countAcked() {
    acked.increment();
  }

  /** From reading a message off its connection to writing its ack, over the last minute. */
  public LatencySnapshot receiveToAck() {
    return receiveToAck.lastMinute();
  }

  void countNotQueued() {
    notQueued.increment();
  }

  void countObserverFailure() {
    observerFailures.increment();
  }

  void countError() {
    errors.increment();
  }

  /** Every upstream message read off a connection, valid or not, duplicates included. */
  public long received() {
    return received.sum();
  }

  /** Messages handed to observers and committed. */
  public long delivered() {
    return delivered.sum();
  }

  /** Redeliveries recognised and acked without firing. */
  public long duplicates() {
    return duplicates.sum();
  }

  /** Messages that broke the protocol or the configured rules. */
  public long rejected() {
    return rejected.sum();
  }

  /** Rejections of one kind. */
  public long rejected(RejectReason reason) {
    return rejectedByReason.get(reason).sum();
  }

  /** Acks written to a connection. */
  public long acked() {
    return acked.sum();
  }

  /** Messages parked in the dead-letter table. */
  public long deadLettered() {
    return deadLettered.sum();
  }

  /** Delivery attempts that an observer failed. */
  public long observerFailures() {
    return observerFailures.sum();
  }

  /**
   * Messages left unacked on arrival because a copy was still queued or the lane was full; CCS
   * redelivers them.
   */
  public long notQueued() {
    return notQueued.sum();
  }

  /** Delivery attempts that failed for another reason (database, commit). */
  public long errors() {
    return errors.sum();
  }
}
