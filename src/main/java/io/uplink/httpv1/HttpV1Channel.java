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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One sender's way to FCM's HTTP v1 API: {@code POST .../messages:send} with its access token, at
 * most {@code max-in-flight} requests waiting for their answer at once (HTTP v1's counterpart of a
 * CCS connection's window), each answer reported to {@link DownstreamOutcomes} before its place is
 * freed, so that a graceful stop waiting for the requests in flight also waits for their outcomes.
 * A request that got no answer (connection refused or lost, timeout, no access token) pauses the
 * sender ({@link io.uplink.downstream.SenderPause}) and is sent again, as are the answers {@link
 * AnswerPolicy} finds about the whole sender. A 401 replaces the access token and sends the request
 * again at once, once. FCM's front ends allow {@value #STREAMS_PER_CONNECTION} concurrent streams
 * per HTTP/2 connection, and the JDK's client does not open a second connection beyond them: a
 * bound above that spreads the requests over several clients, each with its own connection and at
 * most that many in flight. Each request waits for its answer on a thread of the transport's pool
 * ({@link HttpClient#send}), not through {@link HttpClient#sendAsync}: that one hands every answer
 * to {@link CompletableFuture}'s default pool, which on a machine with fewer than three cores
 * starts a new thread for each task, so a thread per request. The pool keeps at most as many
 * threads busy as requests are in flight, and reuses them. Thread-safe: the dispatcher calls {@link
 * #trySend}, the pool's threads complete the requests.
 */
final class HttpV1Channel implements DownstreamChannel {

  private static final Logger LOG = Logger.getLogger(HttpV1Channel.class.getName());

  /** How long a request whose answer could not be handled waits before it is sent again. */
  private static final Duration AFTER_A_BUG = Duration.ofMillis(500);

  /** The concurrent streams Google's front ends allow on one HTTP/2 connection. */
  static final int STREAMS_PER_CONNECTION = 100;

  private final String senderId;
  private final URI sendUrl;
  private final int maxInFlight;
  private final List<Lane> lanes = new ArrayList<>();
  private final AccessTokens tokens;
  private final Duration requestTimeout;
  private final DownstreamOutcomes outcomes;
  private final GatewayCounters counters;
  private final SendRoom room;
  private final Executor executor;
  private final AtomicInteger next = new AtomicInteger();

  /**
   * @param clients makes an HTTP/2 client, one per {@value #STREAMS_PER_CONNECTION} requests of the
   *     bound
   */
  HttpV1Channel(
      String senderId,
      HttpV1Account account,
      Supplier<HttpClient> clients,
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
    for (int left = maxInFlight; left > 0; left -= STREAMS_PER_CONNECTION) {
      lanes.add(new Lane(clients.get(), Math.min(left, STREAMS_PER_CONNECTION)));
    }
    this.tokens = tokens;
    this.requestTimeout = requestTimeout;
    this.outcomes = outcomes;
    this.counters = counters;
    this.room = room;
    this.executor = executor;
  }

  @Override
  public boolean trySend(Outbound message) {
    if (!HttpV1Message.isRequest(message.json())) {
      outcomes.unsendable(
          message,
          "NOT_AN_HTTP_V1_REQUEST: accepted as a CCS message before sender "
              + senderId
              + " was switched to downstream=http-v1; not sent");
      return true;
    }
    Lane lane = laneWithRoom();
    if (lane == null) {
      return false;
    }
    counters.count(Total.DOWNSTREAM_SENT, senderId);
    long sentNanos = System.nanoTime();
    CompletableFuture<Answered> answer;
    try {
      answer = send(lane.http(), message);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (answered, failure) -> {
          try {
            if (failure != null) {
              unanswered(message, failure);
            } else {
              answered(message, answered, sentNanos);
            }
          } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, message + ": its answer could not be handled; sending again", e);
            outcomes.resend(message, AFTER_A_BUG);
          } finally {
            lane.permits().release();
            room.signal();
          }
        });
    return true;
  }

  /** The next lane, round robin, that takes one more request now; null when none does. */
  private Lane laneWithRoom() {
    int first = Math.floorMod(next.getAndIncrement(), lanes.size());
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get((first + i) % lanes.size());
      if (lane.permits().tryAcquire()) {
        return lane;
      }
    }
    return null;
  }

  /** Requests waiting for their answer now. */
  int inFlight() {
    return maxInFlight - lanes.stream().mapToInt(lane -> lane.permits().availablePermits()).sum();
  }

  int maxInFlight() {
    return maxInFlight;
  }

  /** Posts the message; on a 401 without an FCM code, once more with a new access token. */
  private CompletableFuture<Answered> send(HttpClient http, Outbound message) {
    String body = HttpV1Message.requestAt(message.json(), message.expiresAt(), Instant.now());
    return tokens
        .token(executor)
        .thenCompose(token -> post(http, body, token))
        .thenCompose(
            first -> {
              if (!AnswerPolicy.accessTokenRefused(first.answer())) {
                return CompletableFuture.completedFuture(first);
              }
              LOG.info(
                  "FCM refused the access token of sender " + senderId + "; getting a new one");
              return tokens
                  .replace(first.token(), executor)
                  .thenCompose(token -> post(http, body, token));
            });
  }

  private CompletableFuture<Answered> post(HttpClient http, String body, String token) {
    HttpRequest request =
        HttpRequest.newBuilder(sendUrl)
            .timeout(requestTimeout)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json; charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return CompletableFuture.supplyAsync(
        () -> {
          HttpResponse<String> response = exchange(http, request);
          return new Answered(
              token,
              FcmAnswer.of(
                  response.statusCode(),
                  response.body(),
                  response.headers().firstValue("Retry-After"),
                  Instant.now()));
        },
        executor);
  }

  /** Sends the request and waits for its answer. */
  private static HttpResponse<String> exchange(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CompletionException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  private void answered(Outbound message, Answered answered, long sentNanos) {
    FcmAnswer answer = answered.answer();
    if (answer.httpStatus() == 200) {
      counters.record(
          Latency.DOWNSTREAM_SEND_TO_ACK, Duration.ofNanos(System.nanoTime() - sentNanos));
      outcomes.accepted(message, answer.name().orElse(""));
      return;
    }
    outcomes.refused(message, AnswerPolicy.refusal(answer, message));
  }

  private void unanswered(Outbound message, Throwable failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    outcomes.noAnswer(
        message,
        cause instanceof NoAccessTokenException
            ? cause.getMessage()
            : "no answer from FCM (" + describe(cause) + ")");
  }

  /** The failure's type and text, unless the text could carry a credential. */
  private static String describe(Throwable cause) {
    String text = String.valueOf(cause.getMessage());
    return cause.getClass().getSimpleName()
        + (text.contains("Bearer") || text.contains("ya29.") ? "" : ": " + text);
  }

  /** An answer, with the access token its request carried. */
  private record Answered(String token, FcmAnswer answer) {}

  /** One HTTP/2 client, so one connection, and the requests it may carry at once. */
  private record Lane(HttpClient http, Semaphore permits) {
    Lane(HttpClient http, int streams) {
      this(http, new Semaphore(streams));
    }
  }
}
