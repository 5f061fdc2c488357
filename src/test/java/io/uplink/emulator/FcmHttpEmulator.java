package io.uplink.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * FcmError} details. The server speaks HTTP/1.1 (the JDK has no HTTP/2 server), so an HTTP/2 client
 * falls back to HTTP/1.1 with a connection per request in flight. Tests may delay or hold the
 * answers. Thread-safe.
 */
public final class FcmHttpEmulator implements AutoCloseable {

  private static final String FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
  private static final String BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";

  private final String projectId;
  private final HttpsServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(FcmHttpEmulator::daemon);
  private final EmulatorCertificate certificate;
  private final ServiceAccountKey account;
  private final AccessTokenIssuer issuer;
  private final Path serviceAccountFile;
  private final JsonProvider json = JsonProvider.provider();
  private final TokenRegistry tokens = new TokenRegistry(Set.of(), Set.of(), Set.of(), Map.of());
  private final Set<String> senderMismatch = ConcurrentHashMap.newKeySet();
  private final Set<String> thirdPartyAuth = ConcurrentHashMap.newKeySet();
  private final Deque<FcmFault> faults = new ArrayDeque<>();
  private final List<HttpV1Record> answered = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  private final List<String> receivedIds = new CopyOnWriteArrayList<>();
  private volatile Duration answerDelay = Duration.ZERO;
  private volatile CountDownLatch held = new CountDownLatch(0);

  private FcmHttpEmulator(String projectId, Path directory) throws IOException {
    this.projectId = projectId;
    this.certificate =
        EmulatorCertificate.create(
            "fcm.googleapis.com", directory.resolve("fcm-http-v1"), null, false);
    this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    this.account = ServiceAccountKey.create(projectId);
    this.issuer = new AccessTokenIssuer(account, tokenUrl());
    this.serviceAccountFile =
        account.write(directory.resolve("fcm-service-account.json"), tokenUrl());
    server.createContext("/token", this::token);
    server.createContext("/v1/projects/", this::send);
    server.setExecutor(threads);
  }

  /**
   * Starts an emulator for the project, writing its trust store and service account key file into
   * {@code directory}.
   */
  public static FcmHttpEmulator start(String projectId, Path directory) {
    try {
      FcmHttpEmulator emulator = new FcmHttpEmulator(projectId, directory);
      emulator.server.start();
      return emulator;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the FCM HTTP v1 emulator", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    certificate.deleteTrustStore();
  }

  public URI baseUrl() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
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

  /** The most sends that waited for their answer at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        reply(exchange, 405, "{}");
        return;
      }
      AccessTokenIssuer.Reply reply = issuer.exchange(body(exchange));
      reply(exchange, reply.status(), reply.body());
    }
  }

  private void send(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try (exchange) {
      String body = body(exchange);
      JsonObject request = parse(body);
      receivedIds.add(HttpV1Record.dataId(request));
      pause();
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRequestMethod().equals("POST") || !path.endsWith("/messages:send")) {
        reply(exchange, 404, "{}");
        return;
      }
      String project = path.substring("/v1/projects/".length(), path.indexOf("/messages:send"));
      String target = target(request);
      FcmFault fault = decide(exchange, project, request, target);
      if (fault == null) {
        String name = "projects/" + projectId + "/messages/0:" + sequence.incrementAndGet();
        answered.add(new HttpV1Record(target, 200, "", name, request, Instant.now()));
        reply(exchange, 200, json.createObjectBuilder().add("name", name).build().toString());
      } else if (fault.httpStatus() == 0) {
        answered.add(new HttpV1Record(target, 0, "NO_ANSWER", "", request, Instant.now()));
        throw new IOException("no answer, as the test asked: the server drops the connection");
      } else {
        answered.add(
            new HttpV1Record(
                target,
                fault.httpStatus(),
                fault.errorCode().orElse(fault.apiStatus()),
                "",
                request,
                Instant.now()));
        fault
            .retryAfter()
            .ifPresent(
                wait ->
                    exchange
                        .getResponseHeaders()
                        .add("Retry-After", String.valueOf(wait.toSeconds())));
        reply(exchange, fault.httpStatus(), errorBody(fault));
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private FcmFault decide(
      HttpExchange exchange, String project, JsonObject request, String target) {
    if (!issuer.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
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

  private void pause() {
    try {
      held.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration delay = answerDelay;
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread =
        new Thread(task, "fcm-http-emulator-" + UUID.randomUUID().toString().substring(0, 8));
    thread.setDaemon(true);
    return thread;
  }
}
