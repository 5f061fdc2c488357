package io.uplink.emulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * One client connection to the emulator, as CCS sees it, and the handle tests use to act on it:
 * drain it, close it, drop it, stall it or write raw XML to it.
 *
 * <p>Each connection has two daemon threads: a reader (runs the {@link StreamSession}) and a writer
 * that drains an outbound queue, so no lock is ever held while writing to the socket and many
 * stanzas share one TLS record under load. All public methods are thread-safe. The connection ends
 * when the client or the emulator closes it; it is never reused.
 */
public final class EmulatedConnection {

  private final String id;
  private final Socket rawSocket;
  private final SSLSocket socket;
  private final EmulatorContext context;
  private final BlockingQueue<Outgoing> outbound = new LinkedBlockingQueue<>();
  private final DownstreamWindow downstreamWindow;
  private final UpstreamWindow upstreamWindow;
  private final Object stallLock = new Object();
  private boolean stalled;
  private volatile Phase phase = Phase.CONNECTED;
  private volatile boolean draining;
  private volatile long drainNoticeWrittenNanos;
  private volatile boolean drainNoticeWritten;
  private volatile String senderId;
  private volatile String jid;
  private volatile String closeReason;

  /** Where the connection is in its life; only ever moves forward. */
  enum Phase {
    CONNECTED,
    AUTHENTICATED,
    BOUND,
    CLOSING,
    CLOSED
  }

  /**
   * @param drainNotice whether this is the {@code CONNECTION_DRAINING} control, whose write time
   *     starts the draining grace
   */
  private record Outgoing(String xml, boolean closeSocketAfter, boolean drainNotice) {}

  EmulatedConnection(String id, Socket rawSocket, SSLSocket socket, EmulatorContext context) {
    this.id = id;
    this.rawSocket = rawSocket;
    this.socket = socket;
    this.context = context;
    this.downstreamWindow = new DownstreamWindow(context.maxPendingDownstream());
    this.upstreamWindow = new UpstreamWindow(context.maxUnackedUpstream());
  }

  void start() {
    context
        .recorder()
        .event(id, null, ConnectionEvent.Kind.OPENED, "from port " + rawSocket.getPort());
    Thread reader = new Thread(new StreamSession(this, context), "ccs-emulator-" + id + "-reader");
    Thread writer = new Thread(this::writeLoop, "ccs-emulator-" + id + "-writer");
    reader.setDaemon(true);
    writer.setDaemon(true);
    writer.start();
    reader.start();
  }

  /** The emulator-assigned id ({@code c1}, {@code c2}, ...) used in every record. */
  public String id() {
    return id;
  }

  /** The authenticated sender ID, or {@code null} before authentication. */
  public String senderId() {
    return senderId;
  }

  /** The bound full JID, or {@code null} before resource binding. */
  public String jid() {
    return jid;
  }

  /** Whether the stream is still open (bound or not), including while draining. */
  public boolean isOpen() {
    return phase != Phase.CLOSED && phase != Phase.CLOSING;
  }

  public boolean isBound() {
    return phase == Phase.BOUND;
  }

  public boolean isDraining() {
    return draining;
  }

  /** Downstream messages received on this connection and not answered yet (§4.1). */
  public int pendingDownstream() {
    return downstreamWindow.pending();
  }

  /** The most downstream messages ever pending at once on this connection (§4.1). */
  public int maxPendingDownstream() {
    return downstreamWindow.maxPending();
  }

  /**
   * Upstream messages and receipts delivered on this connection that no ack has settled (§4.2);
   * zero once the connection has ended.
   */
  public int unackedUpstream() {
    return upstreamWindow.unacked();
  }

  /** The most upstream messages ever unacked at once on this connection (§4.2). */
  public int maxUnackedUpstream() {
    return upstreamWindow.maxUnacked();
  }

  /**
   * Whether {@code CONNECTION_DRAINING} was written to the socket at least the draining grace ago,
   * so that a well-behaved client has had time to stop sending downstream messages here.
   */
  boolean isPastDrainingGrace() {
    return drainNoticeWritten
        && System.nanoTime() - drainNoticeWrittenNanos >= context.drainingGrace().toNanos();
  }

  public boolean isStalled() {
    synchronized (stallLock) {
      return stalled;
    }
  }

  /**
   * Sends {@code CONNECTION_DRAINING} (ccs-protocol.md §3.9, §4.5). No new upstream deliveries go
   * to this connection afterwards; deliveries already made may still be acked on it, and downstream
   * messages already pending are still answered. New downstream messages are NACKed with {@code
   * CONNECTION_DRAINING}; one that arrives later than the draining grace after the control was
   * written to the socket is also recorded as a {@link ProtocolViolation} (§4.5: "no more messages
   * are allowed to be sent to the connection"). Within the grace it is not, because the client may
   * have written it before the control reached it.
   *
   * @throws IllegalStateException if the connection is not bound or already closing
   */
  public void drain() {
    if (!isBound()) {
      throw new IllegalStateException("connection " + id + " is not bound and open");
    }
    draining = true;
    context.ledger().stopDeliveringTo(this);
    outbound.add(new Outgoing(Stanzas.control(context.json().connectionDraining()), false, true));
    context.recorder().event(id, senderId, ConnectionEvent.Kind.DRAINING, "");
  }

  /**
   * Ends the stream gracefully with {@code </stream:stream>}, waits (briefly) for the client's
   * closing tag, then closes the socket; unacked deliveries are then redelivered elsewhere, and
   * pending downstream messages are never answered (§4.3).
   */
  public void close() {
    if (beginClosing("closed by the emulator")) {
      send(Stanzas.STREAM_CLOSE);
      closeSocketLater();
    }
  }

  /** Closes the TCP connection at once with a reset: no {@code </stream:stream>}, no TLS close. */
  public void dropAbruptly() {
    closeReason = "dropped abruptly by the emulator";
    context.downstream().abandon(this);
    try {
      rawSocket.setSoLinger(true, 0);
    } catch (IOException e) {
      // The socket is already gone, which is all this method promises.
    }
    closeSocket();
    wakeStalledThreads();
  }

  /** Stops reading and writing on this connection (pings go unanswered) until {@link #resume()}. */
  public void stall() {
    synchronized (stallLock) {
      stalled = true;
    }
  }

  /** Ends a {@link #stall()}: held-back input is processed and held-back output is written. */
  public void resume() {
    synchronized (stallLock) {
      stalled = false;
      stallLock.notifyAll();
    }
  }

  /**
   * Writes {@code xml} to the client as it is: malformed stanzas, hostile XML, oversized stanzas.
   */
  public void sendRaw(String xml) {
    send(xml);
  }

  @Override
  public String toString() {
    return "EmulatedConnection["
        + id
        + ", sender="
        + senderId
        + ", phase="
        + phase
        + ", draining="
        + draining
        + "]";
  }

  void send(String xml) {
    outbound.add(new Outgoing(xml, false, false));
  }

  /** Queues the last words of this connection; the writer closes the socket after them. */
  void sendAndClose(String xml, String reason) {
    beginClosing(reason);
    outbound.add(new Outgoing(xml, true, false));
    closeSocketLater();
  }

  void handshake() throws IOException {
    socket.startHandshake();
  }

  Reader inputReader() throws IOException {
    return new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8);
  }

  Phase phase() {
    return phase;
  }

  DownstreamWindow downstreamWindow() {
    return downstreamWindow;
  }

  UpstreamWindow upstreamWindow() {
    return upstreamWindow;
  }

  void authenticated(String sender) {
    senderId = sender;
    if (advance(Phase.CONNECTED, Phase.AUTHENTICATED)) {
      context.recorder().event(id, sender, ConnectionEvent.Kind.AUTHENTICATED, "");
    }
  }

  void bound(String boundJid) {
    jid = boundJid;
    if (advance(Phase.AUTHENTICATED, Phase.BOUND)) {
      context.recorder().event(id, senderId, ConnectionEvent.Kind.BOUND, boundJid);
      context.ledger().connectionReady(this);
    }
  }

  private synchronized boolean advance(Phase from, Phase to) {
    if (phase != from) {
      return false;
    }
    phase = to;
    return true;
  }

  /**
   * Moves to CLOSING if the connection was open; returns whether it did. Deliveries stop at once;
   * acks for earlier deliveries are still accepted until the socket closes.
   */
  boolean beginClosing(String reason) {
    synchronized (this) {
      if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
        return false;
      }
      phase = Phase.CLOSING;
    }
    if (closeReason == null) {
      closeReason = reason;
    }
    context.downstream().abandon(this);
    if (senderId != null) {
      context.ledger().stopDeliveringTo(this);
    }
    return true;
  }

  /**
   * Blocks the calling connection thread while the connection is stalled; returns at once when it
   * ends.
   */
  void awaitResumed() throws InterruptedException {
    synchronized (stallLock) {
      while (stalled && !rawSocket.isClosed()) {
        stallLock.wait();
      }
    }
  }

  void recordInbound(String xml) {
    context.recorder().stanza(id, WireStanza.Direction.INBOUND, xml);
  }

  /** Called once by the reader thread when it stops: the connection is over. */
  void terminated(String reason, boolean closeSocketNow) {
    beginClosing(reason);
    synchronized (this) {
      phase = Phase.CLOSED;
    }
    if (closeSocketNow) {
      closeSocket();
    }
    outbound.add(new Outgoing(null, true, false));
    if (senderId != null) {
      context.ledger().connectionClosed(this);
    }
    context.recorder().event(id, senderId, ConnectionEvent.Kind.CLOSED, closeReason);
  }

  boolean socketClosed() {
    return rawSocket.isClosed();
  }

  void closeSocket() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a broken TLS socket can fail; the raw socket below still gets closed.
    }
    try {
      rawSocket.close();
    } catch (IOException e) {
      // Nothing more can be done with a socket that fails to close.
    }
    wakeStalledThreads();
  }

  /**
   * Closes the socket after the close timeout, in case the client never answers our stream close.
   */
  private void closeSocketLater() {
    try {
      context
          .timer()
          .schedule(this::closeSocket, context.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      closeSocket();
    }
  }

  private void wakeStalledThreads() {
    synchronized (stallLock) {
      stallLock.notifyAll();
    }
  }

  private void writeLoop() {
    List<Outgoing> batch = new ArrayList<>();
    try (Writer out =
        new BufferedWriter(
            new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), 16 * 1024)) {
      while (true) {
        batch.add(outbound.take());
        outbound.drainTo(batch);
        awaitResumed();
        boolean drainNotice = false;
        for (Outgoing item : batch) {
          drainNotice |= item.drainNotice();
          if (rawSocket.isClosed()) {
            return;
          }
          if (item.xml() != null) {
            out.write(item.xml());
            context.recorder().stanza(id, WireStanza.Direction.OUTBOUND, item.xml());
          }
          if (item.closeSocketAfter()) {
            out.flush();
            closeSocket();
            return;
          }
        }
        out.flush();
        if (drainNotice) {
          drainNoticeWrittenNanos = System.nanoTime();
          drainNoticeWritten = true;
        }
        batch.clear();
      }
    } catch (IOException e) {
      closeSocket();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeSocket();
    }
  }
}
