package io.uplink.monitoring;

/**
 * The upstream totals, published as {@code uplink:type=Upstream}. Every attribute is a plain long
 * that only grows while the application is deployed.
 */
public interface UpstreamMXBean {

  long getReceived();

  long getDelivered();

  long getDuplicates();

  long getRejected();

  long getAcked();

  long getDeadLettered();

  long getObserverFailures();

  long getErrors();

  /** Messages queued for delivery right now. */
  int getBacklog();
}
