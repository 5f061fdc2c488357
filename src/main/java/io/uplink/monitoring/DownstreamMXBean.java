package io.uplink.monitoring;

import io.uplink.stats.LatencySnapshot;
import java.util.Map;

/**
 * The downstream totals, published as {@code uplink:type=Downstream}. Plain longs; {@code Pending}
 * is the number of accepted messages not yet acked, failed, expired or cancelled.
 */
public interface DownstreamMXBean {

  long getSent();

  long getAcked();

  long getNacked();

  /** Nacks by error code (BAD_REGISTRATION, DEVICE_MESSAGE_RATE_EXCEEDED, ...), codes seen only. */
  Map<String, Long> getNackedByCode();

  long getRetried();

  long getFailed();

  /** Messages whose time_to_live ran out before they could be written to CCS; never sent. */
  long getExpired();

  /** Messages an operator cancelled before CCS acked them. */
  long getCancelled();

  long getPending();

  /**
   * Sends whose caller stopped waiting after uplink.downstream.send-timeout without room on any
   * connection; the messages stayed pending and are still sent.
   */
  long getSendTimeouts();

  long getReceipts();

  /** Attempts to hand TokenInvalidated or CanonicalTokenReceived to the application that failed. */
  long getEventFailures();

  long getStanzaErrors();

  /**
   * Pauses of a whole sender's sends (CCS or FCM unavailable, over quota, credentials refused, no
   * answer), counted when each starts; the messages waited through them without spending retries.
   */
  long getSenderPauses();

  /**
   * Attempts to record how a message ended that failed (the database unreachable, the row locked)
   * and were tried again; the callers waited until the end was recorded.
   */
  long getRecordRetries();

  /**
   * Sends refused because their sender already had {@code uplink.downstream.max-pending} messages
   * pending; nothing already accepted was affected.
   */
  long getBacklogRefusals();

  /** Send-to-ack latency over the last minute: from writing a message to CCS's ack or nack. */
  LatencySnapshot getSendToAck();
}
