package io.uplink.monitoring;

import io.uplink.xmpp.ManagedConnection;
import java.time.Instant;

/** The {@link ConnectionMXBean} over one of the pool's connections. Thread-safe. */
final class ConnectionView implements ConnectionMXBean {

  private final ManagedConnection connection;

  ConnectionView(ManagedConnection connection) {
    this.connection = connection;
  }

  @Override
  public String getSenderId() {
    return connection.senderId();
  }

  @Override
  public String getState() {
    return connection.status().state().name();
  }

  @Override
  public String getConnectedSince() {
    return connection.status().connectedSince().map(Instant::toString).orElse("");
  }

  @Override
  public int getDrainingConnections() {
    return connection.status().drainingStreams();
  }

  @Override
  public int getPendingDownstream() {
    return connection.status().pendingDownstream();
  }

  @Override
  public int getFailedAttempts() {
    return connection.status().failedAttempts();
  }

  @Override
  public String getLastActivity() {
    return connection.status().lastActivity().map(Instant::toString).orElse("");
  }

  @Override
  public long getUpstreamReceived() {
    return connection.status().upstreamReceived();
  }

  @Override
  public long getDownstreamSent() {
    return connection.status().downstreamSent();
  }

  @Override
  public void reconnect() {
    connection.reconnect();
  }

  @Override
  public void drain() {
    connection.drain();
  }
}
