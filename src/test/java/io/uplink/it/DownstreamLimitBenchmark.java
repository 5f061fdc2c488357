package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static io.uplink.it.GatewayDeployment.SERVER_KEY;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamRecord;
import io.uplink.emulator.FcmHttpEmulator;
import io.uplink.emulator.HttpV1Record;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Durable sending against its limits, part of {@link UplinkBenchmark}: {@code
 * uplink.bench.batch-messages} (10,000) messages accepted through {@code POST
 * /uplink/api/messages/batch}, 500 a request from four clients at once, on a fresh gateway after a
 * warm-up of as many (so that the measured run meets compiled code). Over CCS with two connections
 * and windows of 100 answered after 100 ms, and through HTTP v1 with 100 requests in flight
 * answered after 50 ms, both allow at most 2,000 messages a second; with answers at once, the bare
 * senders of {@link BareDownstreamSenders}, run on the same emulator just before, are the ceiling.
 * The rate counts from the first request to the last message acked in the gateway's totals, so
 * accepting, sending and recording are all in it; the wire rate is the messages that reached the
 * emulator per second, from the first to the last of them.
 */
final class DownstreamLimitBenchmark {

  private static final int BATCH = BatchEndpoint.BATCH;
  private static final int CLIENTS = 4;
  private static final int CCS_CONNECTIONS = 2;
  private static final int WINDOW = 100;
  private static final Duration WAIT = Duration.ofMinutes(5);

  private final UplinkBenchmark benchmark;
  private final Path directory;
  private final int messages;
  private final BatchEndpoint endpoint = new BatchEndpoint();
  private int run;

  DownstreamLimitBenchmark(UplinkBenchmark benchmark, Path directory, int messages) {
    this.benchmark = benchmark;
    this.directory = directory;
    this.messages = messages;
  }

  void run(List<Integer> httpV1Bounds) throws Exception {
    System.out.printf(
        "%nDurable sending at its limits: %d messages through the batch endpoint (%d a request,"
            + " %d clients):%n%n"
            + "| transport | answers after | limit msg/s | bare sender msg/s | Uplink msg/s"
            + " | ratio to limit or bare | Uplink on the wire msg/s | wire ratio"
            + " | accepted within s | mean in flight (%% of bound) | send-to-answer p50 / p99 ms |%n"
            + "|---|---|---|---|---|---|---|---|---|---|---|%n",
        messages, BATCH, CLIENTS);
    List<Duration> ccsDelays =
        Boolean.parseBoolean(System.getProperty("uplink.bench.limits-ccs", "true"))
            ? List.of(Duration.ofMillis(100), Duration.ZERO)
            : List.of();
    for (Duration delay : ccsDelays) {
      try (CcsEmulator emulator =
          CcsEmulator.builder()
              .sender(SENDER_ID, SERVER_KEY)
              .recordStanzas(false)
              .downstreamAckDelay(delay)
              .build()
              .start()) {
        double bare =
            rate(
                BareDownstreamSenders.smack(
                    emulator, SENDER_ID, SERVER_KEY, CCS_CONNECTIONS, WINDOW, messages));
        Result uplink =
            uplink(
                emulator,
                Map.of(),
                since ->
                    emulator.downstream().stream()
                        .map(DownstreamRecord::receivedAt)
                        .filter(at -> !at.isBefore(since))
                        .toList());
        print(
            "CCS, " + CCS_CONNECTIONS + " connections",
            delay,
            CCS_CONNECTIONS * WINDOW,
            bare,
            uplink);
      }
    }
    try (CcsEmulator emulator =
            CcsEmulator.builder()
                .sender(SENDER_ID, SERVER_KEY)
                .recordStanzas(false)
                .build()
                .start();
        FcmHttpEmulator fcm =
            FcmHttpEmulator.start("uplink-bench", directory.resolve("fcm-limits"))) {
      for (int bound : httpV1Bounds) {
        for (Duration delay : List.of(Duration.ofMillis(50), Duration.ZERO)) {
          fcm.answerDelay(delay);
          double bare = rate(BareDownstreamSenders.http2(fcm, "uplink-bench", bound, messages));
          Map<String, String> settings = new HashMap<>(fcm.gatewaySettings("uplink.ccs."));
          settings.put("uplink.ccs.http-v1.max-in-flight", String.valueOf(bound));
          Result uplink =
              uplink(
                  emulator,
                  settings,
                  since ->
                      fcm.answered().stream()
                          .map(HttpV1Record::at)
                          .filter(at -> !at.isBefore(since))
                          .toList());
          print("HTTP v1, " + bound + " in flight", delay, bound, bare, uplink);
        }
      }
    }
  }

  private void print(String transport, Duration delay, int bound, double bare, Result uplink) {
    String limit = delay.isZero() ? "-" : String.format("%.0f", bound * 1000.0 / delay.toMillis());
    double against = delay.isZero() ? bare : bound * 1000.0 / delay.toMillis();
    System.out.printf(
        "| %s | %d ms | %s | %.0f | %.0f | %.2f | %.0f | %.2f | %.1f | %.0f %% | %.1f / %.1f |%n",
        transport,
        delay.toMillis(),
        limit,
        bare,
        uplink.rate(),
        uplink.rate() / against,
        uplink.wireRate(),
        uplink.wireRate() / against,
        uplink.acceptSeconds(),
        100 * uplink.meanInFlight() / bound,
        uplink.sendToAnswerP50(),
        uplink.sendToAnswerP99());
  }

  private double rate(Duration elapsed) {
    return messages / (elapsed.toNanos() / 1e9);
  }

  /** A warm-up, then the measured run, on a gateway of its own. */
  private Result uplink(CcsEmulator emulator, Map<String, String> settings, WireClock wire)
      throws Exception {
    int jmxPort = PayaraMicroProcess.freePort();
    try (PayaraMicroProcess server =
            benchmark.startGateway(emulator, CCS_CONNECTIONS, jmxPort, List.of(), settings);
        GatewayJmx jmx = GatewayJmx.connect(jmxPort)) {
      emulator.awaitConnections(SENDER_ID, CCS_CONNECTIONS, WAIT);
      send(server, jmx, messages, wire);
      return send(server, jmx, messages, wire);
    }
  }

  /** Posts {@code count} messages in batches from {@link #CLIENTS} clients; waits until acked. */
  private Result send(PayaraMicroProcess server, GatewayJmx jmx, int count, WireClock wire)
      throws Exception {
    ObjectName downstream = new ObjectName("uplink:type=Downstream");
    long ackedBefore = ((Number) jmx.attribute(downstream.toString(), "Acked")).longValue();
    long inFlight = 0;
    long samples = 0;
    String prefix = "limit-" + ++run;
    URI batch = server.application().resolve("api/messages/batch");
    AtomicInteger next = new AtomicInteger();
    Instant since = Instant.now();
    long start = System.nanoTime();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(
          CompletableFuture.runAsync(
              () -> {
                for (int from = next.getAndAdd(BATCH); from < count; from = next.getAndAdd(BATCH)) {
                  endpoint.post(batch, prefix, from, Math.min(count, from + BATCH));
                }
              }));
    }
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new))
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    double accepted = (System.nanoTime() - start) / 1e9;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (((Number) jmx.attribute(downstream.toString(), "Acked")).longValue() - ackedBefore
        < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the gateway did not ack every message within " + WAIT);
      }
      inFlight +=
          ((Number) jmx.attribute("uplink:type=Sender,id=" + SENDER_ID, "PendingDownstream"))
              .longValue();
      samples++;
      Thread.sleep(5);
    }
    CompositeData sendToAnswer =
        (CompositeData) jmx.attribute("uplink:type=Downstream", "SendToAck");
    return new Result(
        count / ((System.nanoTime() - start) / 1e9),
        wireRate(wire.arrivals(since)),
        accepted,
        inFlight / (double) Math.max(1, samples),
        ((Number) sendToAnswer.get("p50Millis")).doubleValue(),
        ((Number) sendToAnswer.get("p99Millis")).doubleValue());
  }

  /** Messages per second between the first and the last arrival. */
  private static double wireRate(List<Instant> arrivals) {
    Instant first = arrivals.stream().min(Instant::compareTo).orElseThrow();
    Instant last = arrivals.stream().max(Instant::compareTo).orElseThrow();
    return (arrivals.size() - 1) / (Duration.between(first, last).toNanos() / 1e9);
  }

  /** When the emulator received (or answered) each message from a moment on. */
  @FunctionalInterface
  private interface WireClock {
    List<Instant> arrivals(Instant since);
  }

  /**
   * Messages acked per second from the first request, messages per second on the wire, how long
   * accepting them all took, and the mean of the sender's messages in flight, sampled after the
   * last batch was accepted, and the gateway's send-to-answer latency over the last minute (the
   * warm-up's answers and the measured run's).
   */
  private record Result(
      double rate,
      double wireRate,
      double acceptSeconds,
      double meanInFlight,
      double sendToAnswerP50,
      double sendToAnswerP99) {}
}
