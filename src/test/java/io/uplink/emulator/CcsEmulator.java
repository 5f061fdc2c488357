package io.uplink.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
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
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.HdrHistogram.Histogram;

/**
 * An in-process stand-in for Google's XMPP Connection Server (CCS), the test oracle for Uplink. It
 * speaks the contract of {@code ccs-protocol.md} over direct TLS on 127.0.0.1: SASL PLAIN with the
 * configured sender IDs and keys, resource binding, XEP-0199 ping, upstream delivery with
 * connection-scoped acks and redelivery, downstream ACKs and NACKs by the documented rules
 * (validation, tokens, rates, draining, injected faults), the pending window of 100 per connection,
 * upstream flow control (at most 100 unacked messages per connection), delivery receipts, {@code
 * CONNECTION_DRAINING}, and faults (drops, stalls, raw XML). It records everything that crossed the
 * wire for tests to assert on.
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
  private final String certificateHostName;
  private final boolean untrustedCertificate;
  private final WireRecorder recorder;
  private final GcmJson json = new GcmJson();
  private final UpstreamLedger ledger;
  private final TokenRegistry tokens;
  private final FaultInjector faults = new FaultInjector();
  private final DownstreamResponder downstream;
  private final int maxPendingDownstream;
  private final int maxUnackedUpstream;
  private final Duration drainingGrace;
  private final List<EmulatedConnection> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger connectionCounter = new AtomicInteger();
  private final ScheduledExecutorService timer;
  private volatile EmulatorCertificate certificate;
  private volatile ServerSocket serverSocket;
  private volatile EmulatorContext context;
  private volatile boolean loginsRefused;
  private volatile Duration sessionReplyDelay = Duration.ZERO;

  private CcsEmulator(Builder builder) {
    senderKeys = Map.copyOf(builder.senders);
    domain = builder.domain;
    redeliveryDelay = builder.redeliveryDelay;
    trustStoreDirectory = builder.trustStoreDirectory;
    certificateHostName = builder.certificateHostName;
    untrustedCertificate = builder.untrustedCertificate;
    recorder = new WireRecorder(builder.recordStanzas);
    ledger = new UpstreamLedger(senderKeys.keySet(), redeliveryDelay, json, recorder);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "ccs-emulator-timer");
              thread.setDaemon(true);
              return thread;
            });
    tokens =
        new TokenRegistry(
            builder.registeredTokens,
            builder.unregisteredTokens,
            builder.invalidTokens,
            builder.canonicalTokens);
    maxPendingDownstream = builder.maxPendingDownstream;
    maxUnackedUpstream = builder.maxUnackedUpstream;
    drainingGrace = builder.drainingGrace;
    downstream =
        new DownstreamResponder(
            recorder,
            json,
            ledger,
            timer,
            tokens,
            faults,
            builder.deviceRateLimit,
            builder.topicRateLimit,
            builder.downstreamPolicy,
            builder.downstreamAckDelay,
            builder.receiptDelay,
            builder.receiptCategory);
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
      certificate =
          EmulatorCertificate.create(
              domain, trustStoreDirectory, certificateHostName, untrustedCertificate);
      context =
          new EmulatorContext(
              senderKeys,
              domain,
              Set.copyOf(streamDomains),
              ledger,
              recorder,
              json,
              downstream,
              maxPendingDownstream,
              maxUnackedUpstream,
              timer,
              Duration.ofSeconds(2),
              drainingGrace,
              () -> loginsRefused,
              () -> sessionReplyDelay);
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

  /**
   * A PKCS12 file holding the emulator's certificate as a trusted entry (with {@link
   * Builder#untrustedCertificate}, a certificate the emulator does not present).
   */
  public Path trustStore() {
    started();
    return certificate.trustStore();
  }

  public String trustStorePassword() {
    started();
    return certificate.trustStorePassword();
  }

  /**
   * An {@link SSLContext} that trusts what {@link #trustStore()} holds (and nothing else), for
   * in-JVM clients.
   */
  public SSLContext clientSslContext() {
    started();
    return certificate.clientContext();
  }

  /** The certificate the emulator presents in the TLS handshake. */
  public X509Certificate certificate() {
    started();
    return certificate.certificate();
  }

  /**
   * Delivers an upstream message from a device on one bound, non-draining connection of the sender
   * with fewer than {@link Builder#maxUnackedUpstream} unacked messages (round robin), or queues it
   * until such a connection exists. Queued messages go out oldest first.
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
   * Sent even when the connection is at {@link Builder#maxUnackedUpstream}: the test asked for it.
   *
   * @throws IllegalArgumentException if no message, or several devices' messages, have this id
   */
  public void redeliver(String senderId, String messageId, EmulatedConnection connection) {
    ledger.redeliver(senderId, null, messageId, connection);
  }

  /**
   * Fault: writes a test's malformed stanza on the connection as a delivery that awaits its ack
   * (and is redelivered unacked), like any message naming that device and id.
   */
  public void deliverMalformed(MalformedDelivery delivery, EmulatedConnection connection) {
    ledger.deliverMalformed(delivery, connection);
  }

  /**
   * As {@link #redeliver(String, String, EmulatedConnection)}, for the message of device {@code
   * from}.
   */
  public void redeliver(
      String senderId, String from, String messageId, EmulatedConnection connection) {
    ledger.redeliver(senderId, from, messageId, connection);
  }

  /**
   * The error to give {@link #failNext} for a stanza error (§3.5) instead of a NACK: the answer
   * then echoes only the stanza id, as CCS did for JSON it could not read.
   */
  public static final String STANZA_ERROR_FAULT = "STANZA_ERROR";

  /**
   * Fault: NACKs the next {@code count} downstream messages to {@code senderIdOrTarget} (a token,
   * {@code /topics/x} or a condition) or, if no fault is queued for their target, of the sender
   * with this ID, with {@code error} (ccs-protocol.md §3.4), e.g. {@code SERVICE_UNAVAILABLE} to
   * make the client back off and retry. Faults for one key are used in the order they were queued.
   * Malformed messages and draining connections are answered as usual and use up no fault.
   *
   * @throws IllegalArgumentException if a value is blank or {@code count} is not positive
   */
  public void failNext(String senderIdOrTarget, String error, int count) {
    requireText(senderIdOrTarget, "senderIdOrTarget");
    requireText(error, "error");
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    faults.failNext(senderIdOrTarget, error, count);
  }

  /** As {@link #failNext(String, String, int)}, for one message. */
  public void failNext(String senderIdOrTarget, String error) {
    failNext(senderIdOrTarget, error, 1);
  }

  /**
   * The device uninstalled the app: from now on, messages to {@code token} get {@code
   * DEVICE_UNREGISTERED}.
   */
  public void unregisterToken(String token) {
    tokens.unregister(requireText(token, "token"));
  }

  /** Makes {@code token} a live device again (also when only registered tokens are accepted). */
  public void registerToken(String token) {
    tokens.register(requireText(token, "token"));
  }

  /**
   * Fault: CCS has an outage. Every open connection is dropped without a stream close (as a network
   * failure does) and, until {@link #endOutage()}, every login is refused with SASL {@code
   * temporary-auth-failure} (RFC 6120 §6.5), recorded in {@link #authFailures()}.
   */
  public void startOutage() {
    loginsRefused = true;
    connections.forEach(EmulatedConnection::dropAbruptly);
  }

  /**
   * Fault: from now on, the answer to a client's session request comes {@code delay} late (zero
   * ends the fault). Upstream messages waiting for a connection go out as soon as it is bound, so
   * they reach the client before its login has completed, as with a slow CCS.
   */
  public void delaySessionReplies(Duration delay) {
    sessionReplyDelay = Objects.requireNonNull(delay, "delay");
  }

  /** Ends the fault of {@link #startOutage()}: logins succeed again. */
  public void endOutage() {
    loginsRefused = false;
  }

  /**
   * Holds every downstream ACK and NACK not yet written, on all connections, until {@link
   * #releaseAnswers()}: pending messages pile up, as when CCS is slow (ccs-protocol.md §4.1).
   * Stanza errors are not held.
   */
  public void holdAnswers() {
    downstream.hold();
  }

  /** Writes every held answer (answers of connections closed meanwhile are dropped). */
  public void releaseAnswers() {
    downstream.releaseHeld();
  }

  /** Every downstream message received, in arrival order, each in its latest state. */
  public List<DownstreamRecord> downstream() {
    return recorder.downstream(r -> true);
  }

  /** The downstream messages whose {@code to} (or {@code condition}) is {@code target}. */
  public List<DownstreamRecord> downstreamFor(String target) {
    return recorder.downstream(r -> target.equals(r.to()));
  }

  /** How many downstream messages arrived with this {@code message_id}, on any connection. */
  public long downstreamCount(String messageId) {
    return recorder.downstream(r -> messageId.equals(r.messageId())).size();
  }

  /**
   * Every {@code message_id} that arrived more than once, with its count: a client's resends after
   * a NACK or a lost connection show here, and so do duplicate sends.
   */
  public Map<String, Long> duplicateDownstream() {
    Map<String, Long> counts =
        downstream().stream()
            .filter(r -> r.messageId() != null)
            .collect(Collectors.groupingBy(DownstreamRecord::messageId, Collectors.counting()));
    counts.values().removeIf(count -> count < 2);
    return counts;
  }

  /** Downstream messages pending (unanswered) on the connection now (§4.1). */
  public int pending(String connectionId) {
    return connection(connectionId).pendingDownstream();
  }

  /** The most downstream messages ever pending at once on the connection (§4.1). */
  public int maxPending(String connectionId) {
    return connection(connectionId).maxPendingDownstream();
  }

  /**
   * Upstream messages and receipts delivered on the connection that no ack has settled yet (§4.2);
   * a message delivered there twice counts once.
   *
   * @throws IllegalArgumentException if there is no connection with this id
   */
  public int unackedUpstream(String connectionId) {
    return connection(connectionId).unackedUpstream();
  }

  /**
   * The most upstream messages ever unacked at once on the connection: at most {@link
   * Builder#maxUnackedUpstream}, unless a test forced more with {@link #redeliver}.
   *
   * @throws IllegalArgumentException if there is no connection with this id
   */
  public int maxUnackedUpstream(String connectionId) {
    return connection(connectionId).maxUnackedUpstream();
  }

  /**
   * How many of the sender's upstream messages and receipts wait in its queue now, because it has
   * no bound, non-draining connection or every such connection is at {@link
   * Builder#maxUnackedUpstream} (§4.2).
   */
  public int waitingUpstream(String senderId) {
    return ledger.waitingCount(senderId);
  }

  /** The sender's delivery receipts that no valid ack has settled yet (queued ones included). */
  public List<DeliveryReceipt> unackedReceipts(String senderId) {
    return ledger.unackedReceipts(senderId);
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

  /** The upstream acks the contract does not allow (§3.7), with why, in arrival order. */
  public List<AckRecord> invalidAcks() {
    return recorder.acks(a -> !a.valid());
  }

  /**
   * What clients did that the contract forbids, in order: among others, a downstream message on a
   * connection more than {@link Builder#drainingGrace} after its {@code CONNECTION_DRAINING}; and
   * the emulator's own failures (connection {@code emulator}), which leave a test unproven.
   */
  public List<ProtocolViolation> violations() {
    return recorder.violations();
  }

  /**
   * The sender's injected upstream messages that no valid ack has settled yet (queued ones
   * included); see {@link #unackedReceipts} for receipts.
   */
  public List<Upstream> unacked(String senderId) {
    return ledger.unacked(senderId);
  }

  /** Injected messages and receipts of every sender that no valid ack has settled yet. */
  public int unackedCount() {
    return ledger.unackedCount();
  }

  /**
   * Upstream latency as the wire shows it: microseconds from writing each delivery to reading its
   * valid ack, for the acks since the previous call. For benchmarks.
   */
  public Histogram takeAckLatencies() {
    return ledger.takeAckLatencies();
  }

  /** Whether every injected message and every delivery receipt of every sender has been acked. */
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

  /** Waits until every one of these messages has a valid ack, whatever else is still unacked. */
  public void awaitAcked(List<Upstream> messages, Duration timeout) {
    await(
        () -> messages.stream().noneMatch(m -> validAcksFor(m.messageId()).isEmpty()),
        timeout,
        "every message acked");
  }

  /**
   * @throws AssertionError if some injected message is still unacked after {@code timeout}
   */
  public void awaitAllAcked(Duration timeout) {
    try {
      await(this::allAcked, timeout, "all upstream messages acked");
    } catch (AssertionError timedOut) {
      throw new AssertionError(timedOut.getMessage() + "; " + ackBacklog(), timedOut);
    }
  }

  /** Where the unacked messages are: queued per sender, delivered per open connection. */
  private String ackBacklog() {
    StringBuilder text = new StringBuilder("unacked ").append(ledger.unackedCount());
    senderKeys
        .keySet()
        .forEach(
            s -> text.append(", queued for ").append(s).append(' ').append(ledger.waitingCount(s)));
    connections.stream()
        .filter(EmulatedConnection::isOpen)
        .forEach(c -> text.append(", on ").append(c.id()).append(' ').append(c.unackedUpstream()));
    return text.toString();
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
      recorder.violation("emulator", "emulator bug during redelivery: " + e);
    }
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
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
    private String certificateHostName;
    private boolean untrustedCertificate;
    private boolean recordStanzas = true;
    private DownstreamPolicy downstreamPolicy = DownstreamPolicy.ACK_ALL;
    private final Set<String> registeredTokens = new HashSet<>();
    private final Set<String> unregisteredTokens = new HashSet<>();
    private final Set<String> invalidTokens = new HashSet<>();
    private final Map<String, String> canonicalTokens = new HashMap<>();
    private SlidingWindowLimiter deviceRateLimit;
    private SlidingWindowLimiter topicRateLimit;
    private Duration downstreamAckDelay = Duration.ZERO;
    private int maxPendingDownstream = 100;
    private int maxUnackedUpstream = 100;
    private Duration drainingGrace = Duration.ofSeconds(1);
    private Duration receiptDelay = Duration.ofMillis(20);
    private String receiptCategory = "com.example.app";

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

    /**
     * Fault: presents a certificate issued only for {@code hostName} (a DNS name such as {@code
     * wrong.example.org}) instead of localhost, 127.0.0.1 and the service domain. {@link
     * CcsEmulator#trustStore()} still trusts it, so only a client that checks the host name it
     * connected to (endpoint identification) refuses it. Default: the usual names.
     */
    public Builder certificateHostName(String hostName) {
      requireText(hostName, "certificateHostName");
      if (!hostName.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
        throw new IllegalArgumentException("certificateHostName is not a DNS name: " + hostName);
      }
      certificateHostName = hostName;
      return this;
    }

    /**
     * Fault: presents a certificate issued by a CA of its own that neither {@link
     * CcsEmulator#trustStore()} nor {@link CcsEmulator#clientSslContext()} holds (they hold another
     * certificate with the same names), so every client that validates the chain refuses it.
     * Default false.
     */
    public Builder untrustedCertificate(boolean untrusted) {
      untrustedCertificate = untrusted;
      return this;
    }

    /** Whether to keep the text of every stanza (default true; turn off for long benchmarks). */
    public Builder recordStanzas(boolean record) {
      this.recordStanzas = record;
      return this;
    }

    /**
     * The last say on downstream messages that pass every built-in rule (default: ACK all); see
     * {@link DownstreamResponder} for the rules and their order.
     */
    public Builder downstreamPolicy(DownstreamPolicy policy) {
      this.downstreamPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Makes the emulator know the whole fleet: once any token is registered, a well-formed token
     * that is neither registered nor mapped by {@link #canonicalToken} gets {@code
     * BAD_REGISTRATION}. Without registered tokens every well-formed token is a live device (1 to
     * 4096 characters of {@code A-Z a-z 0-9 _ - : .}).
     */
    public Builder registerToken(String... tokens) {
      addTokens(registeredTokens, tokens);
      return this;
    }

    /** Messages to these tokens get {@code DEVICE_UNREGISTERED} (the app was uninstalled). */
    public Builder unregisterToken(String... tokens) {
      addTokens(unregisteredTokens, tokens);
      return this;
    }

    /** Messages to these tokens get {@code BAD_REGISTRATION} (invalid or for another sender). */
    public Builder invalidToken(String... tokens) {
      addTokens(invalidTokens, tokens);
      return this;
    }

    /**
     * ACKs of messages to {@code oldToken} carry {@code "registration_id":canonical}
     * (ccs-protocol.md §3.2); {@code oldToken} counts as a known token.
     */
    public Builder canonicalToken(String oldToken, String canonical) {
      requireText(oldToken, "oldToken");
      requireText(canonical, "canonical");
      if (oldToken.equals(canonical)) {
        throw new IllegalArgumentException("canonical token equals the old token: " + oldToken);
      }
      if (canonicalTokens.putIfAbsent(oldToken, canonical) != null) {
        throw new IllegalArgumentException("canonical token of " + oldToken + " set twice");
      }
      return this;
    }

    /**
     * At most {@code max} messages per device token in any sliding {@code window}; more get {@code
     * DEVICE_MESSAGE_RATE_EXCEEDED}. Off by default. Counts every message that passes validation,
     * faults and the token check (NACKed ones for rate do not count).
     */
    public Builder deviceMessageRateLimit(int max, Duration window) {
      deviceRateLimit = limiter(max, window, "deviceMessageRateLimit");
      return this;
    }

    /**
     * At most {@code max} messages per topic in any sliding {@code window}, counting {@code
     * /topics/x} targets and every topic a {@code condition} names; more get {@code
     * TOPICS_MESSAGE_RATE_EXCEEDED}. Off by default.
     */
    public Builder topicMessageRateLimit(int max, Duration window) {
      topicRateLimit = limiter(max, window, "topicMessageRateLimit");
      return this;
    }

    /**
     * How long each downstream ACK or NACK waits before it is written (default zero), so that
     * pending messages build up as with a real, remote CCS.
     */
    public Builder downstreamAckDelay(Duration delay) {
      downstreamAckDelay = nonNegative(delay, "downstreamAckDelay");
      return this;
    }

    /**
     * The pending window per connection (default 100, ccs-protocol.md §4.1). A downstream message
     * that arrives while this many are pending is a protocol violation: the emulator closes the
     * stream with {@code <policy-violation/>}.
     */
    public Builder maxPendingDownstream(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPendingDownstream must be positive: " + max);
      }
      maxPendingDownstream = max;
      return this;
    }

    /**
     * Upstream flow control (ccs-protocol.md §4.2: "CCS will stop sending if there are too many
     * unacknowledged messages"): no upstream message, redelivery or delivery receipt goes to a
     * connection with this many messages delivered there and not acked yet (default 100; a message
     * delivered twice counts once, and an ack on any connection settles it). The rest wait in the
     * sender's queue and go out, oldest first, when an ack makes room or on another connection of
     * the sender with room. CCS never published its threshold; 100 mirrors the downstream window of
     * §4.1.
     */
    public Builder maxUnackedUpstream(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxUnackedUpstream must be positive: " + max);
      }
      maxUnackedUpstream = max;
      return this;
    }

    /**
     * How long after {@code CONNECTION_DRAINING} was written to a connection a downstream message
     * on it is still only NACKed (default 1 s); later ones are also recorded as a {@link
     * ProtocolViolation} (ccs-protocol.md §4.5). The grace covers messages the client wrote while
     * the control was on its way. Acks of upstream messages and receipts are never violations on a
     * draining connection: they belong there (§4.3, §4.5).
     */
    public Builder drainingGrace(Duration grace) {
      drainingGrace = nonNegative(grace, "drainingGrace");
      return this;
    }

    /** How long after the ACK a requested delivery receipt is sent (default 20 ms). */
    public Builder receiptDelay(Duration delay) {
      receiptDelay = nonNegative(delay, "receiptDelay");
      return this;
    }

    /** The {@code category} (app package name) of delivery receipts (default com.example.app). */
    public Builder receiptCategory(String category) {
      receiptCategory = requireText(category, "receiptCategory");
      return this;
    }

    private static void addTokens(Set<String> into, String... tokens) {
      for (String token : tokens) {
        into.add(requireText(token, "token"));
      }
    }

    private static SlidingWindowLimiter limiter(int max, Duration window, String name) {
      if (max < 1) {
        throw new IllegalArgumentException(name + ": max must be positive: " + max);
      }
      if (window == null || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException(name + ": window must be positive: " + window);
      }
      return new SlidingWindowLimiter(max, window);
    }

    private static Duration nonNegative(Duration delay, String name) {
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + delay);
      }
      return delay;
    }

    /**
     * @throws IllegalStateException if no sender is configured, or a token is given two of the
     *     states registered, unregistered, invalid
     */
    public CcsEmulator build() {
      if (senders.isEmpty()) {
        throw new IllegalStateException("configure at least one sender");
      }
      requireDisjoint(registeredTokens, unregisteredTokens, "registered", "unregistered");
      requireDisjoint(registeredTokens, invalidTokens, "registered", "invalid");
      requireDisjoint(unregisteredTokens, invalidTokens, "unregistered", "invalid");
      return new CcsEmulator(this);
    }

    private static void requireDisjoint(Set<String> a, Set<String> b, String nameA, String nameB) {
      for (String token : a) {
        if (b.contains(token)) {
          throw new IllegalStateException("token " + token + " is both " + nameA + " and " + nameB);
        }
      }
    }
  }
}
