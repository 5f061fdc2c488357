package io.uplink.monitoring;

import java.util.Map;

/**
 * The upstream totals, published as {@code uplink:type=Upstream}. Every attribute is a plain long
 * that only grows while the application is deployed.
 */
public interface UpstreamMXBean {

  long getReceived();

  long getDelivered();

  long getDuplicates();

  long getRejected();

  /** Rejections by reason (MALFORMED_JSON, WRONG_TYPE, OVERSIZED_DATA, ...). */
  Map<String, Long> getRejectedByReason();

  long getAcked();

  long getDeadLettered();

  long getObserverFailures();

  long getErrors();

  /** Messages queued for delivery right now. */
  int getBacklog();
}
