package io.uplink.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An in-process stand-in for Google's XMPP Connection Server (CCS), the test oracle for Uplink. It
 * speaks the contract of {@code ccs-protocol.md} over direct TLS on 127.0.0.1: SASL PLAIN with the
 * configured sender IDs and keys, resource binding, XEP-0199 ping, upstream delivery with
 * connection-scoped acks and redelivery, downstream ACKs, {@code CONNECTION_DRAINING}, and faults
 * (drops, stalls, raw XML). It records everything that crossed the wire for tests to assert on.
 *
 * <p>Lifecycle: {@link #builder()} → {@link Builder#build()} → {@link #start()} → {@link #close()}.
 * All public methods are thread-safe. Threads are daemons named {@code ccs-emulator-*}: one accept
 * thread, one timer, and a reader and a writer per connection.
 */
public final class CcsEmulator implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(CcsEmulator.class.getName());

  private static final Set<String> GOOGLE_STREAM_DOMAINS =
      Set.of(
          "gcm.googleapis.com",
          "fcm.googleapis.com",
          "gcm-xmpp.googleapis.com",
          "fcm-xmpp.googleapis.com",
          "gcm-preprod.googleapis.com");

  private final Map<String, String> senderKeys;
  private final String domain;
  private final Duration redeliveryDelay;
  private final Path trustStoreDirectory;
  private final WireRecorder recorder;
  private final GcmJson json = new GcmJson();
  private final UpstreamLedger ledger;
  private final DownstreamPolicy downstreamPolicy;
  private final List<EmulatedConnection> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger connectionCounter = new AtomicInteger();
  private final ScheduledExecutorService timer;
  private volatile EmulatorCertificate certificate;
  private volatile ServerSocket serverSocket;
  private volatile EmulatorContext context;

  private CcsEmulator(Builder builder) {
    senderKeys = Map.copyOf(builder.senders);
    domain = builder.domain;
    redeliveryDelay = builder.redeliveryDelay;
    trustStoreDirectory = builder.trustStoreDirectory;
    recorder = new WireRecorder(builder.recordStanzas);
    downstreamPolicy = builder.downstreamPolicy;
    ledger = new UpstreamLedger(senderKeys.keySet(), redeliveryDelay, json, recorder);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "ccs-emulator-timer");
              thread.setDaemon(true);
              return thread;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the certificate and trust store, binds a free port on 127.0.0.1 and starts accepting.
   *
   * @throws IllegalStateException if already started
   * @throws UncheckedIOException if the port or the trust store cannot be created
   */
  public synchronized CcsEmulator start() {
    if (serverSocket != null) {
      throw new IllegalStateException("emulator already started");
    }
    try {
      Set<String> streamDomains = new HashSet<>(GOOGLE_STREAM_DOMAINS);
      streamDomains.add(domain);
      certificate = EmulatorCertificate.create(domain, trustStoreDirectory);
      context =
          new EmulatorContext(
              senderKeys,
              domain,
              Set.copyOf(streamDomains),
              ledger,
              recorder,
              json,
              downstreamPolicy,
              timer,
              Duration.ofSeconds(2));
      serverSocket = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the CCS emulator", e);
    }
    long sweep = Math.max(10, Math.min(250, redeliveryDelay.toMillis() / 10));
    timer.scheduleAtFixedRate(this::redeliverOverdue, sweep, sweep, TimeUnit.MILLISECONDS);
    Thread acceptor = new Thread(this::acceptLoop, "ccs-emulator-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return this;
  }

  /** Stops accepting, drops every connection, stops the timer and deletes the trust store file. */
  @Override
  public synchronized void close() {
    if (serverSocket == null) {
      return;
    }
    try {
      serverSocket.close();
    } catch (IOException e) {
      // Already closed: nothing left to release.
    }
    connections.forEach(EmulatedConnection::closeSocket);
    timer.shutdownNow();
    certificate.deleteTrustStore();
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return started().getLocalPort();
  }

  /** The service domain: the default stream {@code from} and the domain of bound JIDs. */
  public String domain() {
    return domain;
  }

  /** A PKCS12 file holding the emulator's certificate as a trusted entry. */
  public Path trustStore() {
    started();
    return certificate.trustStore();
  }

  public String trustStorePassword() {
    started();
    return certificate.trustStorePassword();
  }

  /** An {@link SSLContext} that trusts the emulator (and nothing else), for in-JVM clients. */
  public SSLContext clientSslContext() {
    started();
    return certificate.clientContext();
  }

  public X509Certificate certificate() {
    started();
    return certificate.certificate();
  }

  /**
   * Delivers an upstream message from a device on one bound, non-draining connection of the sender
   * (round robin), or queues it until such a connection exists.
   *
   * @throws IllegalArgumentException if the sender is not configured, or this device's message with
   *     the same {@code message_id} still awaits an ack
   */
  public void inject(String senderId, Upstream message) {
    ledger.inject(senderId, Objects.requireNonNull(message, "message"));
  }

  /**
   * Fault: sends an already delivered (even already acked) message again on {@code connection}, as
   * CCS does when it lost an ack. The message counts as unacked again until this delivery is acked.
   *
   * @throws IllegalArgumentException if no message, or several devices' messages, have this id
   */
  public void redeliver(String senderId, String messageId, EmulatedConnection connection) {
    ledger.redeliver(senderId, null, messageId, connection);
  }

  /**
   * As {@link #redeliver(String, String, EmulatedConnection)}, for the message of device {@code
   * from}.
   */
  public void redeliver(
      String senderId, String from, String messageId, EmulatedConnection connection) {
    ledger.redeliver(senderId, from, messageId, connection);
  }

  /** Every connection ever accepted, oldest first. */
  public List<EmulatedConnection> connections() {
    return List.copyOf(connections);
  }

  /**
   * @throws IllegalArgumentException if there is no connection with this id
   */
  public EmulatedConnection connection(String connectionId) {
    return connections.stream()
        .filter(c -> c.id().equals(connectionId))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no connection " + connectionId));
  }

  /** The sender's bound connections that are not closing (draining ones included). */
  public List<EmulatedConnection> openConnections(String senderId) {
    return connections.stream().filter(c -> senderId.equals(c.senderId()) && c.isBound()).toList();
  }

  /** Every element that crossed the wire, in order. Empty if stanza recording is off. */
  public List<WireStanza> stanzas() {
    return recorder.stanzas(s -> true);
  }

  public List<WireStanza> stanzas(String connectionId) {
    return recorder.stanzas(s -> s.connectionId().equals(connectionId));
  }

  public List<ConnectionEvent> events() {
    return recorder.events();
  }

  public List<AuthFailure> authFailures() {
    return recorder.authFailures();
  }

  /** Every upstream ack received, valid or not, in arrival order. */
  public List<AckRecord> acks() {
    return recorder.acks(a -> true);
  }

  public List<AckRecord> validAcksFor(String messageId) {
    return recorder.acks(a -> a.valid() && messageId.equals(a.messageId()));
  }

  public List<DownstreamRecord> downstream() {
    return recorder.downstream();
  }

  public List<ProtocolViolation> violations() {
    return recorder.violations();
  }

  /** The sender's injected messages that no valid ack has settled yet (queued ones included). */
  public List<Upstream> unacked(String senderId) {
    return ledger.unacked(senderId);
  }

  /** Whether every injected message of every sender has been acked. */
  public boolean allAcked() {
    return ledger.unackedCount() == 0;
  }

  /**
   * Waits until the sender has at least {@code count} open bound connections and returns them.
   *
   * @throws AssertionError on timeout
   */
  public List<EmulatedConnection> awaitConnections(String senderId, int count, Duration timeout) {
    await(
        () -> openConnections(senderId).size() >= count,
        timeout,
        count + " bound connection(s) of sender " + senderId);
    return openConnections(senderId);
  }

  /**
   * @throws AssertionError if some injected message is still unacked after {@code timeout}
   */
  public void awaitAllAcked(Duration timeout) {
    await(this::allAcked, timeout, "all upstream messages acked");
  }

  /**
   * Polls {@code condition} every few milliseconds until it holds.
   *
   * @throws AssertionError naming {@code what} on timeout
   */
  public void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after "
                + timeout.toMillis()
                + " ms waiting for "
                + what
                + "; connections: "
                + connections);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /**
   * Runs on the timer: an exception would silently cancel all later redeliveries, so none escapes.
   */
  private void redeliverOverdue() {
    try {
      ledger.redeliverOverdue();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "emulator bug during redelivery", e);
    }
  }

  private ServerSocket started() {
    ServerSocket socket = serverSocket;
    if (socket == null) {
      throw new IllegalStateException("emulator not started");
    }
    return socket;
  }

  private void acceptLoop() {
    ServerSocket listening = serverSocket;
    while (!listening.isClosed()) {
      try {
        Socket raw = listening.accept();
        raw.setTcpNoDelay(true);
        SSLSocket tls =
            (SSLSocket)
                certificate
                    .serverContext()
                    .getSocketFactory()
                    .createSocket(raw, null, raw.getPort(), true);
        tls.setUseClientMode(false);
        EmulatedConnection connection =
            new EmulatedConnection("c" + connectionCounter.incrementAndGet(), raw, tls, context);
        connections.add(connection);
        connection.start();
      } catch (IOException e) {
        if (!listening.isClosed()) {
          LOG.log(System.Logger.Level.WARNING, "accepting a connection failed", e);
        }
      }
    }
  }

  /** Collects and validates the emulator's configuration. Not thread-safe; use once. */
  public static final class Builder {

    private final Map<String, String> senders = new LinkedHashMap<>();
    private String domain = "gcm.googleapis.com";
    private Duration redeliveryDelay = Duration.ofSeconds(2);
    private Path trustStoreDirectory;
    private boolean recordStanzas = true;
    private DownstreamPolicy downstreamPolicy = DownstreamPolicy.ACK_ALL;

    private Builder() {}

    /**
     * Accepts SASL PLAIN {@code senderId@gcm.googleapis.com} (or {@code @fcm.googleapis.com}) with
     * {@code key}.
     */
    public Builder sender(String senderId, String key) {
      if (senderId == null || senderId.isBlank() || senderId.contains("@")) {
        throw new IllegalArgumentException(
            "sender ID must be non-blank and without '@': " + senderId);
      }
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException("key of sender " + senderId + " must not be empty");
      }
      if (senders.putIfAbsent(senderId, key) != null) {
        throw new IllegalArgumentException("sender " + senderId + " configured twice");
      }
      return this;
    }

    /** The service domain (default {@code gcm.googleapis.com}); also put in the certificate. */
    public Builder domain(String serviceDomain) {
      if (serviceDomain == null || serviceDomain.isBlank()) {
        throw new IllegalArgumentException("domain must not be blank");
      }
      this.domain = serviceDomain;
      return this;
    }

    /** How long a delivery may stay unacked before it is delivered again (default 2 s). */
    public Builder redeliveryDelay(Duration delay) {
      if (delay == null || delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("redeliveryDelay must be positive: " + delay);
      }
      this.redeliveryDelay = delay;
      return this;
    }

    /** Writes the trust store into this directory instead of a temporary file. */
    public Builder trustStoreDirectory(Path directory) {
      this.trustStoreDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Whether to keep the text of every stanza (default true; turn off for long benchmarks). */
    public Builder recordStanzas(boolean record) {
      this.recordStanzas = record;
      return this;
    }

    /** How to answer well-formed downstream messages (default: ACK all). */
    public Builder downstreamPolicy(DownstreamPolicy policy) {
      this.downstreamPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @throws IllegalStateException if no sender is configured
     */
    public CcsEmulator build() {
      if (senders.isEmpty()) {
        throw new IllegalStateException("configure at least one sender");
      }
      return new CcsEmulator(this);
    }
  }
}
