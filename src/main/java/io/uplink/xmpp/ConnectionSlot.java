package io.uplink.xmpp;

import io.uplink.config.SenderSettings;
import io.uplink.downstream.DownstreamChannel;
import io.uplink.downstream.Outbound;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;

/**
 * One of the connections the pool keeps open for a sender. It opens a direct-TLS stream,
 * authenticates with SASL PLAIN and binds its own resource; reopens at once a stream lost after
 * authentication and backs off exponentially, with jitter, after failures before it
 * (ccs-protocol.md §1.6); pings when idle (§4.6); and on {@code CONNECTION_DRAINING} opens a
 * replacement while it keeps reading and acking on the old stream until CCS closes it (§4.5). An
 * operator can reconnect it or retire its stream the same gentle way. It opens only while this
 * instance is assigned it ({@link #activate}); standing by retires its stream the same way. This
 * class is the slot's state machine; {@link StreamFactory} opens its streams, {@link NextAttempt}
 * schedules the attempts, {@link RetiringStreams} ends the old ones, {@link StallWatch} tells when
 * CCS stopped sending on one and {@link SlotActivity} counts what they carried. Thread-safe: Smack
 * callbacks, the scheduler, the lease rounds and monitoring all call in.
 */
final class ConnectionSlot implements ManagedConnection, DownstreamChannel {

  private static final Logger LOG = Logger.getLogger(ConnectionSlot.class.getName());

  private final PoolContext context;
  private final SenderSettings sender;
  private final int index;
  private final StreamFactory streams;
  private final RetiringStreams retired;
  private final SlotActivity activity = new SlotActivity();
  private final Backoff backoff;
  private final StallWatch stallWatch;

  private volatile ConnectionState state = ConnectionState.STANDBY;
  private volatile Instant connectedSince;
  private final NextAttempt nextAttempt;
  private CcsStream current;
  private boolean active;
  private boolean closed;

  ConnectionSlot(
      PoolContext context, SenderSettings sender, int index, InboundDispatcher dispatcher) {
    this.context = context;
    this.sender = sender;
    this.index = index;
    this.streams = new StreamFactory(context, sender, dispatcher);
    this.retired = new RetiringStreams(context);
    this.backoff = new Backoff(context.ccs().backoffInitial(), context.ccs().backoffMax());
    this.nextAttempt = new NextAttempt(context.scheduler(), this::attempt);
    this.stallWatch =
        new StallWatch(
            context.scheduler(),
            context.ccs().upstreamStallTimeout(),
            context.ccs().backoffMax(),
            stream -> current() == stream,
            this::recycle);
  }

  /** Opens the connection, unless it is open or opening already: this instance is assigned it. */
  void activate() {
    synchronized (this) {
      if (closed || active) {
        return;
      }
      active = true;
      state = ConnectionState.CONNECTING;
    }
    scheduleAttempt(Duration.ZERO);
  }

  /**
   * Stops using the connection because another instance is to hold it: no new attempts, and the
   * current stream takes no new downstream messages and closes once CCS has answered those it has
   * pending (at most the drain timeout). Upstream messages it had not acked are redelivered by CCS
   * on another connection.
   */
  void standBy() {
    CcsStream stream;
    synchronized (this) {
      if (closed || !active) {
        return;
      }
      active = false;
      nextAttempt.cancel();
      stream = current;
      current = null;
      if (stream != null) {
        retired.retire(stream);
      }
      state = ConnectionState.STANDBY;
      connectedSince = null;
    }
    LOG.info(this + ": standing by; this instance no longer holds its lease");
    if (stream != null) {
      retired.closeWhenQuiet(stream);
    }
  }

  /**
   * Ends every stream of this slot. Unacked upstream messages will be redelivered by CCS;
   * unanswered downstream messages stay pending in the outbox.
   */
  void close() {
    CcsStream toClose;
    synchronized (this) {
      closed = true;
      nextAttempt.cancel();
      toClose = current;
      current = null;
    }
    state = ConnectionState.CLOSED;
    connectedSince = null;
    if (toClose != null) {
      toClose.close();
    }
    retired.closeAll();
  }

  /** Writes on the current stream if its window has room; draining ones take none (§4.5). */
  @Override
  public boolean trySend(Outbound message) {
    CcsStream stream = current();
    return stream != null && stream.trySend(message);
  }

  private synchronized CcsStream current() {
    return current;
  }

  /** What this slot's streams carried, which they count themselves. */
  SlotActivity activity() {
    return activity;
  }

  @Override
  public void reconnect() {
    CcsStream stream;
    synchronized (this) {
      stream = current;
      if (stream == null) {
        nextAttempt.cancel();
      }
    }
    LOG.info(this + ": reconnect requested by an operator");
    if (stream != null) {
      lost(stream, new IOException("reconnect requested by an operator"));
    } else {
      scheduleAttempt(Duration.ZERO);
    }
  }

  @Override
  public void drain() {
    retire(null, "drain requested by an operator");
  }

  /** CCS is draining this stream (§4.5): open a replacement, keep reading the old one. */
  void drain(CcsStream stream) {
    retire(stream, "CCS is draining the connection");
  }

  /** Retires the current stream (if it is the one CCS drains) and opens a replacement. */
  private void retire(CcsStream expected, String why) {
    synchronized (this) {
      CcsStream stream = current;
      if (stream == null || closed || (expected != null && stream != expected)) {
        return;
      }
      current = null;
      if (expected == null) {
        retired.retire(stream);
      } else {
        retired.drainedByCcs(stream);
      }
    }
    LOG.info(this + ": " + why + "; opening a replacement");
    scheduleAttempt(Duration.ZERO);
  }

  /**
   * Retires a stream CCS stopped sending on ({@link StallWatch}) and opens a replacement; CCS
   * redelivers what it held once it has closed.
   */
  private void recycle(CcsStream stalled, Duration quiet) {
    synchronized (this) {
      if (current != stalled || closed) {
        return;
      }
      current = null;
      connectedSince = null;
      state = ConnectionState.CONNECTING;
      retired.retire(stalled);
    }
    LOG.warning(
        this
            + ": CCS sent nothing for "
            + quiet.toMillis()
            + " ms while "
            + stalled.upstream().unacked()
            + " upstream messages the gateway gave back wait unacked on the connection (a full"
            + " window); opening a replacement so that CCS delivers them again");
    retired.closeWhenQuiet(stalled);
    scheduleAttempt(Duration.ZERO);
  }

  /** Schedules the next attempt unless one is already scheduled or running: one at a time. */
  private synchronized void scheduleAttempt(Duration delay) {
    if (!closed && active) {
      nextAttempt.schedule(delay);
    }
  }

  private void attempt() {
    synchronized (this) {
      if (closed || !active || current != null) {
        nextAttempt.ended();
        return;
      }
      state = ConnectionState.CONNECTING;
    }
    CcsStream stream = null;
    Exception failure = null;
    try {
      stream = streams.open(this);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (Exception e) {
      // Any failure, Smack's unchecked ones included, must lead to the next attempt.
      failure = e;
    }
    synchronized (this) {
      nextAttempt.ended();
    }
    if (stream != null) {
      authenticated(stream);
    } else {
      failedBeforeAuthentication(failure);
    }
  }

  private void authenticated(CcsStream stream) {
    XMPPTCPConnection connection = stream.connection();
    synchronized (this) {
      if (closed || !active) {
        connection.disconnect();
        return;
      }
      current = stream;
      connectedSince = Instant.now();
      state = ConnectionState.CONNECTED;
    }
    backoff.reset();
    stallWatch.watch(stream);
    LOG.info(this + ": connected as " + connection.getUser());
    context.room().signal();
    retired.closeQuietOnes();
    if (!connection.isAuthenticated()) {
      lost(stream, new IOException("closed while authenticating"));
    }
  }

  private void failedBeforeAuthentication(Exception cause) {
    Duration delay = backoff.nextDelay();
    synchronized (this) {
      if (closed || !active) {
        return;
      }
      state = ConnectionState.BACKING_OFF;
      connectedSince = null;
    }
    LOG.warning(
        String.format(
            "%s: connection attempt %d failed (%s); next attempt in %d ms",
            this, backoff.failures(), streams.whyFailed(cause), delay.toMillis()));
    scheduleAttempt(delay);
  }

  /**
   * One of this slot's streams ended, cleanly or not (Smack's report, a failed ping, an operator):
   * a retired one just ends, the current one is replaced at once.
   */
  void lost(CcsStream stream, Exception cause) {
    if (retired.ended(stream)) {
      LOG.info(this + ": drained connection closed (" + stream.shutDown(cause) + ")");
      return;
    }
    synchronized (this) {
      if (stream != current || closed) {
        return;
      }
      current = null;
      connectedSince = null;
      state = ConnectionState.CONNECTING;
    }
    LOG.warning(this + ": connection lost (" + stream.shutDown(cause) + "); reconnecting at once");
    scheduleAttempt(Duration.ZERO);
  }

  @Override
  public String senderId() {
    return sender.senderId();
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public ConnectionStatus status() {
    CcsStream stream = current();
    return new ConnectionStatus(
        state,
        Optional.ofNullable(connectedSince),
        retired.count(),
        stream == null ? 0 : stream.pending(),
        backoff.failures(),
        activity.last(),
        activity.upstreamReceived(),
        activity.downstreamSent());
  }

  @Override
  public String toString() {
    return "CCS connection " + sender.senderId() + "/" + index;
  }
}
