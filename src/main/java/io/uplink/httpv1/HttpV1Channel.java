package io.uplink.httpv1;

import io.uplink.config.HttpV1Account;
import io.uplink.downstream.DownstreamChannel;
import io.uplink.downstream.DownstreamOutcomes;
import io.uplink.downstream.Outbound;
import io.uplink.downstream.SendRoom;
import io.uplink.fcm.FcmAnswer;
import io.uplink.fcm.HttpV1Message;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Latency;
import io.uplink.stats.Total;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * One sender's way to FCM's HTTP v1 API: {@code POST .../messages:send} with its access token, at
 * most {@code max-in-flight} requests waiting for their answer at once (HTTP v1's counterpart of a
 * CCS connection's window), each answer reported to {@link DownstreamOutcomes}. A request that got
 * no answer (connection refused or lost, timeout, no access token) is sent again, and the channel
 * takes no more requests for a backoff that grows while such failures repeat. A 401 replaces the
 * access token and sends the message again, once. Thread-safe: the dispatcher calls {@link
 * #trySend}, the HTTP client's threads complete the requests.
 */
final class HttpV1Channel implements DownstreamChannel {

  private static final Logger LOG = Logger.getLogger(HttpV1Channel.class.getName());
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(30);

  private final String senderId;
  private final URI sendUrl;
  private final int maxInFlight;
  private final HttpClient http;
  private final AccessTokens tokens;
  private final Duration requestTimeout;
  private final DownstreamOutcomes outcomes;
  private final GatewayCounters counters;
  private final SendRoom room;
  private final Executor executor;
  private final Semaphore permits;
  private final Set<String> reauthenticated = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private volatile long pausedUntilNanos = System.nanoTime();

  HttpV1Channel(
      String senderId,
      HttpV1Account account,
      HttpClient http,
      AccessTokens tokens,
      Duration requestTimeout,
      DownstreamOutcomes outcomes,
      GatewayCounters counters,
      SendRoom room,
      Executor executor) {
    this.senderId = senderId;
    this.sendUrl =
        account.baseUrl().resolve("/v1/projects/" + account.projectId() + "/messages:send");
    this.maxInFlight = account.maxInFlight();
    this.http = http;
    this.tokens = tokens;
    this.requestTimeout = requestTimeout;
    this.outcomes = outcomes;
    this.counters = counters;
    this.room = room;
    this.executor = executor;
    this.permits = new Semaphore(maxInFlight);
  }

  @Override
  public boolean trySend(Outbound message) {
    if (System.nanoTime() - pausedUntilNanos < 0 || !permits.tryAcquire()) {
      return false;
    }
    counters.count(Total.DOWNSTREAM_SENT, senderId);
    long sentNanos = System.nanoTime();
    tokens
        .token(executor)
        .thenCompose(token -> post(message, token).thenApply(answer -> new Answered(token, answer)))
        .whenComplete(
            (answered, failure) -> {
              permits.release();
              room.signal();
              if (failure != null) {
                unanswered(message, failure);
              } else {
                answered(message, answered, sentNanos);
              }
            });
    return true;
  }

  /** Requests waiting for their answer now. */
  int inFlight() {
    return maxInFlight - permits.availablePermits();
  }

  int maxInFlight() {
    return maxInFlight;
  }

  private CompletableFuture<FcmAnswer> post(Outbound message, String token) {
    HttpRequest request =
        HttpRequest.newBuilder(sendUrl)
            .timeout(requestTimeout)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json; charset=UTF-8")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    HttpV1Message.requestAt(message.json(), message.expiresAt(), Instant.now())))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response ->
                FcmAnswer.of(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Retry-After"),
                    Instant.now()));
  }

  private void answered(Outbound message, Answered answered, long sentNanos) {
    failuresInARow.set(0);
    FcmAnswer answer = answered.answer();
    if (answer.httpStatus() == 200) {
      reauthenticated.remove(message.messageId());
      counters.record(
          Latency.DOWNSTREAM_SEND_TO_ACK, Duration.ofNanos(System.nanoTime() - sentNanos));
      outcomes.accepted(message, answer.name().orElse(""));
    } else if (AnswerPolicy.accessTokenRefused(answer)
        && reauthenticated.add(message.messageId())) {
      LOG.info("FCM refused the access token of sender " + senderId + "; getting a new one");
      tokens
          .replace(answered.token(), executor)
          .whenComplete((done, failure) -> outcomes.resend(message, Duration.ZERO));
    } else {
      reauthenticated.remove(message.messageId());
      outcomes.refused(message, AnswerPolicy.refusal(answer, message));
    }
  }

  private void unanswered(Outbound message, Throwable failure) {
    int failures = failuresInARow.incrementAndGet();
    long backoff =
        Math.min(LONGEST_BACKOFF.toNanos(), FIRST_BACKOFF.toNanos() << Math.min(failures - 1, 16));
    pausedUntilNanos = System.nanoTime() + backoff;
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    LOG.warning(
        message
            + " got no answer from FCM ("
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage()
            + "); sending it again, sender "
            + senderId
            + " pauses "
            + Duration.ofNanos(backoff).toMillis()
            + " ms");
    outcomes.resend(message, Duration.ZERO);
  }

  /** An answer, with the access token its request carried. */
  private record Answered(String token, FcmAnswer answer) {}
}
