package io.uplink.monitoring;

import io.uplink.config.SenderSettings;
import io.uplink.downstream.DownstreamQueue;
import io.uplink.downstream.SenderPause;
import io.uplink.httpv1.HttpV1Transport;
import io.uplink.stats.GatewayCounters;
import io.uplink.xmpp.ConnectionPool;
import io.uplink.xmpp.ManagedConnection;
import java.util.List;

/**
 * The {@link SenderMXBean} over the pool's live slots of one sender and its HTTP v1 channel.
 * Thread-safe.
 */
final class SenderView implements SenderMXBean {

  private final SenderSettings sender;
  private final ConnectionPool pool;
  private final HttpV1Transport httpV1;
  private final SenderPause pause;
  private final DownstreamQueue queue;
  private final GatewayCounters counters;

  SenderView(
      SenderSettings sender,
      ConnectionPool pool,
      HttpV1Transport httpV1,
      SenderPause pause,
      DownstreamQueue queue,
      GatewayCounters counters) {
    this.sender = sender;
    this.pool = pool;
    this.httpV1 = httpV1;
    this.pause = pause;
    this.queue = queue;
    this.counters = counters;
  }

  @Override
  public long getDownstreamBacklog() {
    return counters.downstreamPending(sender.senderId());
  }

  @Override
  public int getDownstreamInMemory() {
    return queue.held(sender.senderId());
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
    return connections().stream().mapToInt(c -> c.status().pendingDownstream()).sum()
        + getHttpV1InFlight();
  }

  @Override
  public String getDownstreamTransport() {
    return sender.downstreamTransport();
  }

  @Override
  public int getHttpV1InFlight() {
    return httpV1.inFlight(sender.senderId()).orElse(0);
  }

  @Override
  public int getHttpV1MaxInFlight() {
    return httpV1.maxInFlight(sender.senderId()).orElse(0);
  }

  @Override
  public String getPauseReason() {
    return pause.reason().orElse("");
  }

  @Override
  public long getPauseLeftMillis() {
    return pause.left().toMillis();
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
