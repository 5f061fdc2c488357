package io.uplink.monitoring;

import io.uplink.config.SenderSettings;
import io.uplink.xmpp.ConnectionPool;
import io.uplink.xmpp.ManagedConnection;
import java.util.List;

/** The {@link SenderMXBean} over the pool's live slots of one sender. Thread-safe. */
final class SenderView implements SenderMXBean {

  private final SenderSettings sender;
  private final ConnectionPool pool;

  SenderView(SenderSettings sender, ConnectionPool pool) {
    this.sender = sender;
    this.pool = pool;
  }

  @Override
  public String getSenderId() {
    return sender.senderId();
  }

  @Override
  public int getConfiguredConnections() {
    return sender.connections();
  }

  @Override
  public int getConnectedConnections() {
    return pool.connectedCount(sender.senderId());
  }

  @Override
  public int getPendingDownstream() {
    return connections().stream().mapToInt(c -> c.status().pendingDownstream()).sum();
  }

  @Override
  public long getUpstreamReceived() {
    return connections().stream().mapToLong(c -> c.status().upstreamReceived()).sum();
  }

  @Override
  public long getDownstreamSent() {
    return connections().stream().mapToLong(c -> c.status().downstreamSent()).sum();
  }

  private List<ManagedConnection> connections() {
    return pool.connections(sender.senderId());
  }
}
