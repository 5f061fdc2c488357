package io.uplink.emulator;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * FCM's HTTP v1 API, emulated over real TLS on a free loopback port: {@code POST
 * /v1/projects/{project}/messages:send} and Google's token endpoint ({@code POST /token}, see
 * {@link AccessTokenIssuer}), with a made-up service account whose JSON key file the gateway reads.
 *
 * <p>A send is answered, in this order: 401 {@code UNAUTHENTICATED} without a valid access token;
 * 403 {@code PERMISSION_DENIED} for another project; 400 {@code INVALID_ARGUMENT} for a body that
 * breaks {@link HttpV1Rules}; a fault queued with {@link #failNext}; for a token, what the {@link
 * TokenRegistry} says (400 {@code INVALID_ARGUMENT} naming the token, 404 {@code UNREGISTERED}),
 * then a token marked for {@code SENDER_ID_MISMATCH} or {@code THIRD_PARTY_AUTH_ERROR}; otherwise
 * 200 with the message's {@code name}. Error bodies are Google's error JSON with FCM's {@code
 * FcmError} details. The server is Jetty, speaking HTTP/2 over TLS (chosen by ALPN, as FCM does),
 * and HTTP/1.1 to clients that ask for it; it records which protocol each send came over and on how
 * many connections. Tests may delay or hold the answers, or drop a connection unanswered.
 * Thread-safe.
 */
public final class FcmHttpEmulator implements AutoCloseable {

  /** What Google's front ends allow per HTTP/2 connection. */
  private static final int MAX_CONCURRENT_STREAMS = 100;

  private static final String FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
  private static final String BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";

  private final String projectId;
  private final Server server;
  private final ServerConnector connector;
  private final EmulatorCertificate certificate;
  private final ServiceAccountKey account;
  private volatile AccessTokenIssuer issuer;
  private volatile Path serviceAccountFile;
  private final JsonProvider json = JsonProvider.provider();
  private final TokenRegistry tokens = new TokenRegistry(Set.of(), Set.of(), Set.of(), Map.of());
  private final Set<String> senderMismatch = ConcurrentHashMap.newKeySet();
  private final Set<String> thirdPartyAuth = ConcurrentHashMap.newKeySet();
  private final Deque<FcmFault> faults = new ArrayDeque<>();
  private final Queue<HttpV1Record> answered = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  private final Queue<String> receivedIds = new ConcurrentLinkedQueue<>();
  private final Set<String> protocols = ConcurrentHashMap.newKeySet();
  private final Set<String> connectionsUsed = ConcurrentHashMap.newKeySet();
  private volatile Duration answerDelay = Duration.ZERO;
  private volatile Outage outage = new Outage(null, Instant.MIN);
  private volatile CountDownLatch held = new CountDownLatch(0);

  /** Writes the delayed answers, so that no thread of the server waits through a delay. */
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "fcm-http-emulator-timer");
            thread.setDaemon(true);
            return thread;
          });

  private FcmHttpEmulator(String projectId, Path directory) throws IOException {
    this.projectId = projectId;
    this.certificate =
        EmulatorCertificate.create(
            "fcm.googleapis.com", directory.resolve("fcm-http-v1"), null, false);
    QueuedThreadPool threads = new QueuedThreadPool(1_000, 8);
    threads.setName("fcm-http-emulator");
    threads.setDaemon(true);
    this.server = new Server(threads);
    this.connector = connector(server, certificate);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws IOException {
            serve(request, response, callback);
            return true;
          }
        });
    this.account = ServiceAccountKey.create(projectId);
  }

  /** TLS on a free loopback port, offering HTTP/2 and HTTP/1.1 by ALPN. */
  private static ServerConnector connector(Server server, EmulatorCertificate certificate) {
    HttpConfiguration http = new HttpConfiguration();
    http.addCustomizer(new SecureRequestCustomizer(false));
    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
    h2.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol(http11.getProtocol());
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setSslContext(certificate.serverContext());
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    return connector;
  }

  /**
   * Starts an emulator for the project, writing its trust store and service account key file into
   * {@code directory}.
   */
  public static FcmHttpEmulator start(String projectId, Path directory) {
    FcmHttpEmulator emulator;
    try {
      emulator = new FcmHttpEmulator(projectId, directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the FCM HTTP v1 emulator's certificate", e);
    }
    try {
      emulator.server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the FCM HTTP v1 emulator", e);
    }
    URI tokenUrl = emulator.tokenUrl();
    emulator.issuer = new AccessTokenIssuer(emulator.account, tokenUrl);
    emulator.serviceAccountFile =
        emulator.account.write(directory.resolve("fcm-service-account.json"), tokenUrl);
    return emulator;
  }

  @Override
  public void close() {
    releaseAnswers();
    timer.shutdownNow();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the FCM HTTP v1 emulator", e);
    } finally {
      certificate.deleteTrustStore();
    }
  }

  public URI baseUrl() {
    return URI.create("https://127.0.0.1:" + connector.getLocalPort());
  }

  public URI tokenUrl() {
    return baseUrl().resolve("/token");
  }

  public Path serviceAccountFile() {
    return serviceAccountFile;
  }

  public Path trustStore() {
    return certificate.trustStore();
  }

  public String trustStorePassword() {
    return certificate.trustStorePassword();
  }

  /** The gateway settings that send a sender's downstream messages here. */
  public Map<String, String> gatewaySettings(String prefix) {
    Map<String, String> settings = new HashMap<>();
    settings.put(prefix + "downstream", "http-v1");
    settings.put(prefix + "http-v1.project-id", projectId);
    settings.put(prefix + "http-v1.service-account-file", serviceAccountFile.toString());
    settings.put(prefix + "http-v1.base-url", baseUrl().toString());
    settings.put(prefix + "http-v1.token-url", tokenUrl().toString());
    settings.put("uplink.http-v1.trust-store", trustStore().toString());
    settings.put("uplink.http-v1.trust-store-password", trustStorePassword());
    return settings;
  }

  /** The next {@code count} sends get this fault, whatever they are. */
  public void failNext(FcmFault fault, int count) {
    synchronized (faults) {
      for (int i = 0; i < count; i++) {
        faults.add(fault);
      }
    }
  }

  /**
   * Every send that passes authentication gets this fault until {@code duration} from now, as
   * during an incident at Google; then FCM answers as usual again.
   */
  public void failEverySendFor(FcmFault fault, Duration duration) {
    outage = new Outage(fault, Instant.now().plus(duration));
  }

  /**
   * Disables the service account, or enables it again: while disabled, the token endpoint refuses
   * its assertions ({@code 400 invalid_grant}) and the tokens it had get 401.
   */
  public void serviceAccountDisabled(boolean disabled) {
    issuer.accountDisabled(disabled);
  }

  public void unregisterToken(String token) {
    tokens.unregister(token);
  }

  public void invalidToken(String token) {
    tokens.invalidate(token);
  }

  public void senderIdMismatch(String token) {
    senderMismatch.add(token);
  }

  public void thirdPartyAuthError(String token) {
    thirdPartyAuth.add(token);
  }

  /** Every access token issued so far stops working: the next send with one gets a 401. */
  public void revokeAccessTokens() {
    issuer.revokeAll();
  }

  public void accessTokenLifetime(Duration lifetime) {
    issuer.lifetime(lifetime);
  }

  /** Holds every answer to a send this long, so that requests pile up in flight. */
  public void answerDelay(Duration delay) {
    answerDelay = delay;
  }

  /** Sends wait unanswered until {@link #releaseAnswers}, as a stalled FCM would leave them. */
  public void holdAnswers() {
    held = new CountDownLatch(1);
  }

  public void releaseAnswers() {
    held.countDown();
  }

  /** How many sends carried {@code data.id} = {@code id}, answered or not. */
  public long receivedCount(String id) {
    return receivedIds.stream().filter(id::equals).count();
  }

  /** Access tokens issued. */
  public int tokenGrants() {
    return issuer.grants();
  }

  /** Token requests refused. */
  public int tokenRefusals() {
    return issuer.refusals();
  }

  /** Every send answered, in order. */
  public List<HttpV1Record> answered() {
    return List.copyOf(answered);
  }

  /** The sends answered 200 to the target (token, topic or condition). */
  public List<HttpV1Record> acceptedFor(String target) {
    return answered.stream().filter(r -> r.status() == 200 && target.equals(r.target())).toList();
  }

  /** The protocols the sends came over ({@code HTTP/2.0}, {@code HTTP/1.1}). */
  public Set<String> protocols() {
    return Set.copyOf(protocols);
  }

  /** How many connections the sends came over. */
  public int connectionsUsed() {
    return connectionsUsed.size();
  }

  /** The most sends that waited for their answer at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void serve(Request request, Response response, Callback callback) throws IOException {
    String path = request.getHttpURI().getPath();
    if (!request.getMethod().equals("POST")) {
      reply(response, callback, 405, "{}");
    } else if (path.equals("/token")) {
      AccessTokenIssuer.Reply reply = issuer.exchange(Content.Source.asString(request));
      reply(response, callback, reply.status(), reply.body());
    } else if (path.startsWith("/v1/projects/") && path.endsWith("/messages:send")) {
      send(request, response, callback, path);
    } else {
      reply(response, callback, 404, "{}");
    }
  }

  private void send(Request request, Response response, Callback callback, String path)
      throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    JsonObject body;
    try {
      protocols.add(request.getConnectionMetaData().getHttpVersion().asString());
      connectionsUsed.add(request.getConnectionMetaData().getId());
      body = parse(Content.Source.asString(request));
      receivedIds.add(HttpV1Record.dataId(body));
      awaitRelease();
    } catch (IOException | RuntimeException e) {
      inFlight.decrementAndGet();
      throw e;
    }
    Duration delay = answerDelay;
    if (delay.isZero()) {
      answer(request, response, callback, path, body);
    } else {
      timer.schedule(
          () -> answerLater(request, response, callback, path, body),
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    }
  }

  /** Answers a send whose answer was delayed, on the timer's thread. */
  private void answerLater(
      Request request, Response response, Callback callback, String path, JsonObject body) {
    try {
      answer(request, response, callback, path, body);
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
    }
  }

  /**
   * Decides and writes the answer. The send stops counting as in flight before its answer leaves,
   * so that the client's next request, which the answer lets it send, never finds it still counted.
   */
  private void answer(
      Request request, Response response, Callback callback, String path, JsonObject body)
      throws IOException {
    inFlight.decrementAndGet();
    String project = path.substring("/v1/projects/".length(), path.indexOf("/messages:send"));
    String target = target(body);
    FcmFault fault =
        decide(request.getHeaders().get(HttpHeader.AUTHORIZATION), project, body, target);
    if (fault == null) {
      String name = "projects/" + projectId + "/messages/0:" + sequence.incrementAndGet();
      answered.add(new HttpV1Record(target, 200, "", name, body, Instant.now()));
      reply(
          response, callback, 200, json.createObjectBuilder().add("name", name).build().toString());
    } else if (fault.httpStatus() == 0) {
      answered.add(new HttpV1Record(target, 0, "NO_ANSWER", "", body, Instant.now()));
      request.getConnectionMetaData().getConnection().getEndPoint().close();
      callback.failed(new IOException("no answer, as the test asked: the connection is dropped"));
    } else {
      answered.add(
          new HttpV1Record(
              target,
              fault.httpStatus(),
              fault.errorCode().orElse(fault.apiStatus()),
              "",
              body,
              Instant.now()));
      fault
          .retryAfter()
          .ifPresent(
              wait ->
                  response
                      .getHeaders()
                      .put(HttpHeader.RETRY_AFTER, String.valueOf(wait.toSeconds())));
      reply(response, callback, fault.httpStatus(), errorBody(fault));
    }
  }

  private FcmFault decide(String authorization, String project, JsonObject request, String target) {
    if (!issuer.accepts(authorization)) {
      return FcmFault.unauthenticated();
    }
    if (!project.equals(projectId)) {
      return FcmFault.permissionDenied(project);
    }
    if (request == null) {
      return FcmFault.invalidArgument("Invalid JSON payload received.");
    }
    FcmFault invalid = HttpV1Rules.check(request);
    if (invalid != null) {
      return invalid;
    }
    synchronized (faults) {
      if (!faults.isEmpty()) {
        return faults.poll();
      }
    }
    Outage current = outage;
    if (Instant.now().isBefore(current.until())) {
      return current.fault();
    }
    JsonObject message = request.getJsonObject("message");
    if (!message.containsKey("token")) {
      return null;
    }
    String token = message.getString("token");
    DownstreamReply.Nack verdict = tokens.check(token);
    if (verdict != null) {
      return verdict.error().equals("DEVICE_UNREGISTERED")
          ? FcmFault.unregistered()
          : FcmFault.invalidToken();
    }
    if (senderMismatch.contains(token)) {
      return FcmFault.senderIdMismatch();
    }
    return thirdPartyAuth.contains(token) ? FcmFault.thirdPartyAuthError() : null;
  }

  private String errorBody(FcmFault fault) {
    if (fault.apiStatus().isEmpty()) {
      return "<html><body>Bad Gateway</body></html>";
    }
    JsonObjectBuilder error =
        json.createObjectBuilder()
            .add("code", fault.httpStatus())
            .add("message", fault.message())
            .add("status", fault.apiStatus());
    JsonArrayBuilder details = json.createArrayBuilder();
    fault
        .errorCode()
        .ifPresent(
            code ->
                details.add(
                    json.createObjectBuilder().add("@type", FCM_ERROR).add("errorCode", code)));
    fault
        .invalidField()
        .ifPresent(
            field ->
                details.add(
                    json.createObjectBuilder()
                        .add("@type", BAD_REQUEST)
                        .add(
                            "fieldViolations",
                            json.createArrayBuilder()
                                .add(
                                    json.createObjectBuilder()
                                        .add("field", field)
                                        .add("description", fault.message())))));
    JsonArray built = details.build();
    if (!built.isEmpty()) {
      error.add("details", built);
    }
    return json.createObjectBuilder().add("error", error).build().toString();
  }

  private JsonObject parse(String body) {
    try (JsonReader reader = json.createReader(new StringReader(body))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      return null;
    }
  }

  private static String target(JsonObject request) {
    if (request == null || !(request.get("message") instanceof JsonObject message)) {
      return "";
    }
    return message.getString(
        "token", message.getString("topic", message.getString("condition", "")));
  }

  /** Waits while answers are held ({@link #holdAnswers}), for two minutes at most. */
  private void awaitRelease() {
    try {
      held.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=UTF-8");
    Content.Sink.write(response, true, body, callback);
  }

  /** A fault every send gets until a moment. */
  private record Outage(FcmFault fault, Instant until) {}
}
