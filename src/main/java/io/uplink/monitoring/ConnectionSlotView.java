package io.uplink.monitoring;

import io.uplink.xmpp.ManagedConnection;
import java.time.Instant;

/** The {@link ConnectionMXBean} over one live connection slot. Thread-safe. */
final class ConnectionSlotView implements ConnectionMXBean {

  private final ManagedConnection slot;

  ConnectionSlotView(ManagedConnection slot) {
    this.slot = slot;
  }

  @Override
  public String getSenderId() {
    return slot.senderId();
  }

  @Override
  public String getState() {
    return slot.status().state().name();
  }

  @Override
  public String getConnectedSince() {
    return slot.status().connectedSince().map(Instant::toString).orElse("");
  }

  @Override
  public int getDrainingConnections() {
    return slot.status().drainingStreams();
  }

  @Override
  public int getPendingDownstream() {
    return slot.status().pendingDownstream();
  }

  @Override
  public int getFailedAttempts() {
    return slot.status().failedAttempts();
  }

  @Override
  public String getLastActivity() {
    return slot.status().lastActivity().map(Instant::toString).orElse("");
  }

  @Override
  public long getUpstreamReceived() {
    return slot.status().upstreamReceived();
  }

  @Override
  public long getDownstreamSent() {
    return slot.status().downstreamSent();
  }

  @Override
  public void reconnect() {
    slot.reconnect();
  }

  @Override
  public void drain() {
    slot.drain();
  }
}
