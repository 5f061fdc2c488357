package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static io.uplink.it.GatewayDeployment.SERVER_KEY;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.DownstreamReply;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ObjectName;

/**
 * A backlog far beyond memory, part of {@link UplinkBenchmark}: {@code
 * uplink.bench.backlog-messages} (1,000,000) messages accepted through the batch endpoint while CCS
 * answers every send {@code SERVICE_UNAVAILABLE}, on a gateway with {@code -Xmx512m} (its pause
 * backs off to at most 5 s, so that sending resumes soon after the outage); then CCS recovers and
 * the gateway sends for {@link #BEFORE_RESTART} (or until all are sent), stops gracefully with the
 * rest pending, starts again on the same database and sends the rest. Prints the rate of each
 * phase, the peak heap sampled and the heap after a full collection, how long the restart took to
 * be ready, and how many messages CCS acked more than once (the outbox promises none).
 */
final class DownstreamBacklogBenchmark {

  private static final int CLIENTS = 4;
  private static final int CONNECTIONS = 2;
  private static final Duration BEFORE_RESTART = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofMinutes(30);
  private static final ObjectName MEMORY = GatewayJmx.name("java.lang:type=Memory");

  private final UplinkBenchmark benchmark;
  private final int messages;
  private final BatchEndpoint endpoint = new BatchEndpoint();

  /** How often CCS acked each message, by message id. */
  private final Map<String, Integer> acks = new ConcurrentHashMap<>();

  private final AtomicLong ackCount = new AtomicLong();
  private volatile boolean unavailable;

  DownstreamBacklogBenchmark(UplinkBenchmark benchmark, int messages) {
    this.benchmark = benchmark;
    this.messages = messages;
  }

  void run() throws Exception {
    System.out.printf(
        "%nA backlog beyond memory: %,d messages accepted during a CCS outage, gateway at -Xmx512m,"
            + " memory window 10,000 (the default):%n%n"
            + "| phase | messages | seconds | msg/s | peak heap MiB | heap after GC MiB |%n"
            + "|---|---|---|---|---|---|%n",
        messages);
    try (CcsEmulator emulator =
        CcsEmulator.builder()
            .sender(SENDER_ID, SERVER_KEY)
            .recordStanzas(false)
            .downstreamPolicy(
                message -> {
                  if (unavailable) {
                    return DownstreamReply.nack(
                        "SERVICE_UNAVAILABLE", "CCS is not currently able to process the message");
                  }
                  acks.merge(message.messageId(), 1, Integer::sum);
                  ackCount.incrementAndGet();
                  return DownstreamReply.ack();
                })
            .build()
            .start()) {
      int jmxPort = PayaraMicroProcess.freePort();
      try (PayaraMicroProcess server =
          benchmark.startGateway(
              emulator,
              CONNECTIONS,
              jmxPort,
              List.of(),
              Map.of(
                  "uplink.downstream.max-pending",
                  String.valueOf(2 * messages),
                  "uplink.downstream.retry-max",
                  "PT5S"),
              List.of("-Xmx512m"))) {
        emulator.awaitConnections(SENDER_ID, CONNECTIONS, Duration.ofMinutes(2));
        unavailable = true;
        try (GatewayJmx jmx = GatewayJmx.connect(jmxPort)) {
          HeapPeak peak = HeapPeak.sample(jmx);
          long start = System.nanoTime();
          accept(server.application().resolve("api/messages/batch"));
          print("accepted during the outage", messages, start, peak.stop(), liveHeap(jmx));

          unavailable = false;
          peak = HeapPeak.sample(jmx);
          start = System.nanoTime();
          long restartAt = start + BEFORE_RESTART.toNanos();
          while (acks.size() < messages && System.nanoTime() < restartAt) {
            Thread.sleep(200);
          }
          print("sent after it", acks.size(), start, peak.stop(), liveHeap(jmx));
        }
        long stopping = System.nanoTime();
        server.close();
        int sentBefore = acks.size();
        long repeatedBefore = ackCount.get() - sentBefore;
        server.start();
        double restart = (System.nanoTime() - stopping) / 1e9;
        try (GatewayJmx jmx = GatewayJmx.connect(jmxPort)) {
          HeapPeak peak = HeapPeak.sample(jmx);
          long start = System.nanoTime();
          long deadline = start + WAIT.toNanos();
          while (acks.size() < messages && System.nanoTime() < deadline) {
            Thread.sleep(200);
          }
          print(
              "sent after a restart with " + (messages - sentBefore) + " pending",
              acks.size() - sentBefore,
              start,
              peak.stop(),
              liveHeap(jmx));
        }
        System.out.printf(
            "%nStopped and started again (ready) in %.1f s; CCS acked %,d of %,d messages,"
                + " %,d more than once (%,d of them before the restart).%n",
            restart, acks.size(), messages, ackCount.get() - acks.size(), repeatedBefore);
        if (acks.size() != messages || ackCount.get() != acks.size()) {
          throw new IllegalStateException("The backlog benchmark lost or repeated messages");
        }
      }
    }
  }

  /** Posts every message in batches from {@link #CLIENTS} clients at once. */
  private void accept(URI batch) throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(
          CompletableFuture.runAsync(
              () -> {
                for (int from = next.getAndAdd(BatchEndpoint.BATCH);
                    from < messages;
                    from = next.getAndAdd(BatchEndpoint.BATCH)) {
                  endpoint.post(
                      batch, "backlog", from, Math.min(messages, from + BatchEndpoint.BATCH));
                }
              }));
    }
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new))
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void print(String phase, long count, long startNanos, long peak, long live) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(
        "| %s | %,d | %.1f | %.0f | %d | %d |%n",
        phase, count, seconds, count / seconds, peak >> 20, live >> 20);
  }

  /** Heap in use after a full collection: what the gateway keeps. */
  private static long liveHeap(GatewayJmx jmx) throws Exception {
    jmx.invoke(MEMORY, "gc");
    return jmx.heapUsed();
  }

  /** The most heap in use, sampled every 200 ms on a thread of its own until stopped. */
  private static final class HeapPeak {

    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    private HeapPeak(GatewayJmx jmx) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  try {
                    peak.accumulateAndGet(jmx.heapUsed(), Math::max);
                    Thread.sleep(200);
                  } catch (Exception e) {
                    return;
                  }
                }
              },
              "heap-peak");
      thread.setDaemon(true);
    }

    static HeapPeak sample(GatewayJmx jmx) {
      HeapPeak sampling = new HeapPeak(jmx);
      sampling.thread.start();
      return sampling;
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join();
      return peak.get();
    }
  }
}
