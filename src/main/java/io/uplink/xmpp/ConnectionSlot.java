package io.uplink.xmpp;

import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import io.uplink.downstream.Outbound;
import io.uplink.upstream.Acknowledger;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaExtensionFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.ping.PingManager;

/**
 * One of the connections the pool keeps open for a sender. It opens a direct-TLS stream,
 * authenticates with SASL PLAIN and binds its own resource; reopens at once a stream lost after
 * authentication and backs off exponentially, with jitter, after failures before it
 * (ccs-protocol.md §1.6); pings when idle (§4.6); and on {@code CONNECTION_DRAINING} opens a
 * replacement while it keeps reading and acking on the old stream until CCS closes it (§4.5). An
 * operator can reconnect it or retire its stream the same gentle way. It opens only while this
 * instance is assigned it ({@link #activate}); standing by retires its stream the same way.
 * Thread-safe: Smack callbacks, the scheduler, the lease rounds and monitoring all call in.
 */
final class ConnectionSlot implements ManagedConnection {

  private static final Logger LOG = Logger.getLogger(ConnectionSlot.class.getName());
  private static final long RETIRE_CHECK_MILLIS = 100;
  private static final StanzaFilter GCM_STANZAS =
      new StanzaExtensionFilter(GcmElement.ELEMENT, GcmElement.NAMESPACE);

  private final PoolContext context;
  private final CcsSettings ccs;
  private final SenderSettings sender;
  private final int index;
  private final InboundDispatcher dispatcher;
  private final Backoff backoff;
  private final Set<CcsStream> draining = ConcurrentHashMap.newKeySet();
  private final Set<CcsStream> retiring = ConcurrentHashMap.newKeySet();
  private final LongAdder upstreamReceived = new LongAdder();
  private final LongAdder downstreamSent = new LongAdder();

  private volatile ConnectionState state = ConnectionState.STANDBY;
  private volatile Instant connectedSince;
  private volatile Instant lastActivity;
  private CcsStream current;
  private ScheduledFuture<?> nextAttempt;
  private boolean attemptPending;
  private boolean active;
  private boolean closed;

  ConnectionSlot(
      PoolContext context, SenderSettings sender, int index, InboundDispatcher dispatcher) {
    this.context = context;
    this.ccs = context.ccs();
    this.sender = sender;
    this.index = index;
    this.dispatcher = dispatcher;
    this.backoff = new Backoff(ccs.backoffInitial(), ccs.backoffMax());
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
      if (attemptPending && nextAttempt.cancel(false)) {
        attemptPending = false;
      }
      stream = current;
      current = null;
      if (stream != null) {
        draining.add(stream);
        retiring.add(stream);
      }
      state = ConnectionState.STANDBY;
      connectedSince = null;
    }
    LOG.info(this + ": standing by; this instance no longer holds its lease");
    if (stream != null) {
      retireWhenQuiet(stream);
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
      if (nextAttempt != null) {
        nextAttempt.cancel(false);
      }
      toClose = current;
      current = null;
    }
    state = ConnectionState.CLOSED;
    connectedSince = null;
    if (toClose != null) {
      toClose.closeWindow();
      toClose.connection().disconnect();
    }
    for (CcsStream stream : draining) {
      stream.closeWindow();
      stream.connection().disconnect();
    }
    draining.clear();
    retiring.clear();
  }

  /** Sends acks on exactly this stream, never on another one (§3.7, §4.3). */
  Acknowledger acknowledgerFor(CcsStream stream) {
    return stream::ack;
  }

  /**
   * Sends a downstream message on the current stream if its window has room. Draining streams take
   * no new messages (§4.5).
   */
  boolean trySend(Outbound message) {
    CcsStream stream;
    synchronized (this) {
      stream = current;
    }
    if (stream == null || !stream.trySend(message)) {
      return false;
    }
    downstreamSent.increment();
    lastActivity = Instant.now();
    return true;
  }

  /** Notes a stanza read on one of this slot's streams. */
  void received(boolean upstream) {
    if (upstream) {
      upstreamReceived.increment();
    }
    lastActivity = Instant.now();
  }

  @Override
  public void reconnect() {
    CcsStream stream;
    synchronized (this) {
      stream = current;
      if (stream == null && attemptPending && nextAttempt.cancel(false)) {
        attemptPending = false;
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
    CcsStream stream;
    synchronized (this) {
      stream = current;
      if (stream == null || closed) {
        return;
      }
      current = null;
      draining.add(stream);
      retiring.add(stream);
    }
    LOG.info(this + ": drain requested by an operator; opening a replacement");
    scheduleAttempt(Duration.ZERO);
  }

  /** CCS is draining this stream (§4.5): open a replacement, keep reading the old one. */
  void drain(CcsStream stream) {
    synchronized (this) {
      if (stream != current || closed) {
        return;
      }
      current = null;
      draining.add(stream);
    }
    LOG.info(this + ": CCS is draining the connection; opening a replacement");
    scheduleAttempt(Duration.ZERO);
  }

  /**
   * Closes a stream retired by an operator once CCS has answered every downstream message it sent,
   * or once the drain timeout is over; what is still unanswered then is sent again elsewhere.
   */
  private void retireWhenQuiet(CcsStream stream) {
    long deadline = System.nanoTime() + ccs.drainTimeout().toNanos();
    Runnable check =
        new Runnable() {
          @Override
          public void run() {
            if (!retiring.contains(stream)) {
              return;
            }
            if (stream.pending() == 0 || System.nanoTime() - deadline > 0) {
              retiring.remove(stream);
              stream.connection().disconnect();
            } else {
              context.scheduler().schedule(this, RETIRE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
          }
        };
    context.scheduler().schedule(check, RETIRE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Schedules the next attempt unless one is already scheduled or running: one at a time. */
  private synchronized void scheduleAttempt(Duration delay) {
    if (closed || !active || attemptPending) {
      return;
    }
    attemptPending = true;
    nextAttempt =
        context.scheduler().schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void attempt() {
    synchronized (this) {
      if (closed || !active || current != null) {
        attemptPending = false;
        return;
      }
      state = ConnectionState.CONNECTING;
    }
    CcsStream stream = null;
    Exception failure = null;
    try {
      stream = openStream();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (Exception e) {
      // Any failure, Smack's unchecked ones included, must lead to the next attempt.
      failure = e;
    }
    synchronized (this) {
      attemptPending = false;
    }
    if (stream != null) {
      authenticated(stream);
    } else {
      failedBeforeAuthentication(failure);
    }
  }

  /** Connects, authenticates and binds a new stream whose stanzas this slot handles. */
  private CcsStream openStream()
      throws IOException, SmackException, XMPPException, InterruptedException {
    XMPPTCPConnection connection = new XMPPTCPConnection(configuration());
    CcsStream stream = new CcsStream(connection, context);
    connection.addConnectionListener(new StreamListener(stream));
    connection.addSyncStanzaListener(
        stanza -> dispatcher.dispatch((Message) stanza, stream, this), GCM_STANZAS);
    connection.setParsingExceptionCallback(dispatcher.unparsableCallback(this));
    try {
      connection.connect().login();
      return stream;
    } catch (Exception e) {
      connection.disconnect();
      throw e;
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
    PingManager pings = PingManager.getInstanceFor(connection);
    pings.setPingInterval((int) Math.max(1, ccs.pingInterval().toSeconds()));
    pings.registerPingFailedListener(() -> lost(stream, new IOException("ping unanswered")));
    LOG.info(this + ": connected as " + connection.getUser());
    context.room().signal();
    retiring.forEach(this::retireWhenQuiet);
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
        this
            + ": connection attempt "
            + backoff.failures()
            + " failed ("
            + context
                .sockets()
                .certificateRefusal()
                .map(refusal -> "certificate refused: " + refusal)
                .orElseGet(() -> describe(cause))
            + "); next attempt in "
            + delay.toMillis()
            + " ms");
    scheduleAttempt(delay);
  }

  private void lost(CcsStream stream, Exception cause) {
    if (draining.remove(stream)) {
      retiring.remove(stream);
      stream.connection().instantShutdown();
      resendUnanswered(stream);
      LOG.info(this + ": drained connection closed (" + describe(cause) + ")");
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
    stream.connection().instantShutdown();
    resendUnanswered(stream);
    LOG.warning(this + ": connection lost (" + describe(cause) + "); reconnecting at once");
    scheduleAttempt(Duration.ZERO);
  }

  /** Downstream messages a closed stream never got answers for go out again (§4.3). */
  private void resendUnanswered(CcsStream stream) {
    List<Outbound> unanswered = stream.closeWindow();
    if (!unanswered.isEmpty()) {
      LOG.info(this + ": resending " + unanswered.size() + " unanswered downstream message(s)");
      context.outcomes().unanswered(unanswered);
    }
  }

  private XMPPTCPConnectionConfiguration configuration() throws IOException {
    return XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(ccs.domain())
        .setHostAddress(InetAddress.getByName(ccs.host()))
        .setPort(ccs.port())
        .setSocketFactory(context.sockets())
        .setSecurityMode(SecurityMode.disabled)
        .addEnabledSaslMechanism("PLAIN")
        .setUsernameAndPassword(sender.senderId() + "@" + ccs.domain(), sender.serverKey().value())
        .setResource(resource())
        .setSendPresence(false)
        .setCompressionEnabled(false)
        .setConnectTimeout((int) ccs.connectTimeout().toMillis())
        .build();
  }

  private String resource() {
    return "uplink-" + index + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  /**
   * The cause for a log line. Smack's parser errors quote the XML they stopped in, which can hold
   * registration tokens, so a message that quotes XML is left out.
   */
  private static String describe(Exception cause) {
    String message = cause.getMessage();
    boolean quotesXml = message != null && message.indexOf('<') >= 0;
    return cause.getClass().getSimpleName() + (message == null || quotesXml ? "" : ": " + message);
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
  public ConnectionState state() {
    return state;
  }

  @Override
  public Optional<Instant> connectedSince() {
    return Optional.ofNullable(connectedSince);
  }

  @Override
  public int drainingConnections() {
    return draining.size();
  }

  @Override
  public int pendingDownstream() {
    CcsStream stream;
    synchronized (this) {
      stream = current;
    }
    return stream == null ? 0 : stream.pending();
  }

  @Override
  public int failedAttempts() {
    return backoff.failures();
  }

  @Override
  public Optional<Instant> lastActivity() {
    return Optional.ofNullable(lastActivity);
  }

  @Override
  public long upstreamReceived() {
    return upstreamReceived.sum();
  }

  @Override
  public long downstreamSent() {
    return downstreamSent.sum();
  }

  @Override
  public String toString() {
    return "CCS connection " + sender.senderId() + "/" + index;
  }

  /** Turns Smack's stream events for one stream into slot transitions. */
  private final class StreamListener implements ConnectionListener {

    private final CcsStream stream;

    StreamListener(CcsStream stream) {
      this.stream = stream;
    }

    @Override
    public void connectionClosed() {
      lost(stream, new IOException("stream closed by the server"));
    }

    @Override
    public void connectionClosedOnError(Exception e) {
      lost(stream, e);
    }
  }
}
