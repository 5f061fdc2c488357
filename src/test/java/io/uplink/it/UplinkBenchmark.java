package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static io.uplink.it.GatewayDeployment.SERVER_KEY;

import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.FcmHttpEmulator;
import io.uplink.emulator.Upstream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.HdrHistogram.Histogram;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The load benchmark: {@code mvn -Pbench package}. For each connection count it measures the
 * ceiling (bare Smack clients that only ack, {@link BareSmackCeiling}, in a JVM of their own) and
 * then Uplink on its own Payara Micro process, with every message de-duplicated and committed (H2
 * on a file) before its ack, for each observer cost; then a downstream burst, once alone and once
 * while a slow observer holds the upstream lanes. Each process's CPU time and allocation per
 * message come from its own JMX ({@link ProcessCost}): unlike throughput, they do not depend on
 * what else shares the cores. Prints one table row per run, then runs the crash test ({@link
 * CrashRecoveryIT}) with more kills than {@code mvn verify} gives it. Settings are system
 * properties: {@code uplink.bench.seconds} (10), {@code .devices} (200), {@code .connections}
 * (1,2,8,32), {@code .observer-millis} (0,1), {@code .redeliveries} (share, 0.05), {@code
 * .downstream} (5000), {@code .postgresql-connections} (1,2,8,32), {@code .fixed-rates}
 * (1000,2000), {@code .idle-connections} (1000), {@code .http-v1-in-flight} (100,400: downstream
 * bursts over CCS beside HTTP v1 with these bounds on requests in flight), {@code .batch-messages}
 * (10000: durable sending at its limits, {@link DownstreamLimitBenchmark}; 0 skips it), {@code
 * .crash-kills} (20; 0 skips the crash test); a blank list skips its part. Emulator, gateway and
 * load share the machine: read the ratio to the ceiling first.
 */
public final class UplinkBenchmark {

  private static final String CATEGORY = "com.example.bench";
  private static final int WINDOW = 1_000;

  /** The gateway's downstream window per connection, CCS's 100 (uplink.downstream.window). */
  private static final int DOWNSTREAM_WINDOW = 100;

  private static final Duration DRAIN = Duration.ofMinutes(2);

  private final int seconds = Integer.getInteger("uplink.bench.seconds", 10);
  private final int devices = Integer.getInteger("uplink.bench.devices", 200);
  private final double redeliveries =
      Double.parseDouble(System.getProperty("uplink.bench.redeliveries", "0.05"));
  private final int downstream = Integer.getInteger("uplink.bench.downstream", 5_000);
  private final HttpClient http = LoopbackHttp.client();
  private final Path directory = Path.of("target", "bench").toAbsolutePath();
  private int run;

  private UplinkBenchmark() {}

  public static void main(String[] args) throws Exception {
    UplinkBenchmark benchmark = new UplinkBenchmark();
    List<Integer> connections = ints(System.getProperty("uplink.bench.connections", "1,2,8,32"));
    List<Integer> costs = ints(System.getProperty("uplink.bench.observer-millis", "0,1"));
    System.out.printf(
        "%nUplink benchmark: %d s per run, %d devices, %.0f%% redeliveries, %d cores, Java %s%n%n",
        benchmark.seconds,
        benchmark.devices,
        benchmark.redeliveries * 100,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    System.out.println(
        "| conns | observer | bare Smack acks/s | Uplink acks/s | ratio | p50 ms | p99 ms | p99.9 ms"
            + " | CPU µs/msg Uplink / Smack (ratio) | alloc KiB/msg Uplink / Smack | duplicates"
            + " | heap MiB | GC ms | downstream acks/s (window fill) | send-to-ack p99 ms |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int count : connections) {
      benchmark.sweep(count, costs, List.of());
    }
    benchmark.postgresqlSweep(
        ints(System.getProperty("uplink.bench.postgresql-connections", "1,2,8,32")), costs);
    benchmark.fixedRates(ints(System.getProperty("uplink.bench.fixed-rates", "1000,2000")));
    benchmark.idle(Integer.getInteger("uplink.bench.idle-connections", 1000));
    List<Integer> httpV1Bounds =
        ints(System.getProperty("uplink.bench.http-v1-in-flight", "100,400"));
    benchmark.downstreamTransports(httpV1Bounds);
    int batchMessages = Integer.getInteger("uplink.bench.batch-messages", 10_000);
    if (batchMessages > 0) {
      new DownstreamLimitBenchmark(benchmark, benchmark.directory, batchMessages).run(httpV1Bounds);
    }
    int backlogMessages = Integer.getInteger("uplink.bench.backlog-messages", 1_000_000);
    if (backlogMessages > 0) {
      new DownstreamBacklogBenchmark(benchmark, backlogMessages).run();
    }
    if (!crashTest(Integer.getInteger("uplink.bench.crash-kills", 20))) {
      throw new IllegalStateException("The crash test failed; see above");
    }
  }

  /** Runs {@link CrashRecoveryIT} with the given number of kills; false when it failed. */
  private static boolean crashTest(int kills) {
    if (kills <= 0) {
      return true;
    }
    System.setProperty("uplink.crash.kills", String.valueOf(kills));
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(CrashRecoveryIT.class))
                .build(),
            listener);
    TestExecutionSummary summary = listener.getSummary();
    summary.printFailuresTo(new PrintWriter(System.out, true), 20);
    System.out.printf(
        "Crash test with %d kills: %s%n",
        kills, summary.getTotalFailureCount() == 0 ? "passed" : "FAILED");
    return summary.getTestsSucceededCount() == 1 && summary.getTotalFailureCount() == 0;
  }

  /**
   * The same sweep with the gateway on PostgreSQL (the clustered deployment's database): an
   * embedded server, or the one {@code uplink.it.postgresql} names, one database per connection
   * count.
   */
  private void postgresqlSweep(List<Integer> connections, List<Integer> costs) throws Exception {
    if (connections.isEmpty()) {
      return;
    }
    System.out.printf("%nThe same on PostgreSQL:%n%n");
    Path pg = directory.resolve("postgresql");
    Files.createDirectories(pg);
    try (PostgreSqlServer server = PostgreSqlServer.start(pg)) {
      for (int count : connections) {
        String database = "uplink_bench_" + count + "_" + System.nanoTime();
        server.createDatabase(database);
        Path properties = server.payaraProperties(database, pg.resolve(database + ".properties"));
        sweep(count, costs, List.of("--systemproperties", properties.toString()));
      }
    }
  }

  /**
   * Wire latency at fixed upstream rates, two connections, no observer cost: first the first
   * seconds after the start (cold, JIT and pools not warmed up) at the first rate, then each rate
   * after that warm-up.
   */
  private void fixedRates(List<Integer> rates) throws Exception {
    if (rates.isEmpty()) {
      return;
    }
    try (CcsEmulator emulator = startEmulator()) {
      int jmxPort = PayaraMicroProcess.freePort();
      try (PayaraMicroProcess server = startGateway(emulator, 2, jmxPort, List.of())) {
        emulator.awaitConnections(SENDER_ID, 2, DRAIN);
        System.out.println();
        System.out.println("| fixed rate msg/s | achieved | p50 ms | p99 ms | p99.9 ms |");
        System.out.println("|---|---|---|---|---|");
        printFixedRate(
            rates.get(0) + " (cold)", load(emulator, 0, rates.get(0), Duration.ofSeconds(10)));
        for (int rate : rates) {
          printFixedRate(
              String.valueOf(rate), load(emulator, 0, rate, Duration.ofSeconds(seconds)));
        }
      }
    }
  }

  private static void printFixedRate(String rate, Load load) {
    System.out.printf(
        "| %s | %.0f | %.1f | %.1f | %.1f |%n",
        rate,
        load.rate(),
        load.latency().getValueAtPercentile(50) / 1000.0,
        load.latency().getValueAtPercentile(99) / 1000.0,
        load.latency().getValueAtPercentile(99.9) / 1000.0);
  }

  /**
   * The downstream burst over CCS (two connections, windows of 100) beside the same burst through
   * FCM's HTTP v1 API (the emulator's, over TLS) with each bound on requests in flight; each after
   * a warm-up burst on a fresh gateway.
   */
  private void downstreamTransports(List<Integer> bounds) throws Exception {
    if (bounds.isEmpty() || downstream <= 0) {
      return;
    }
    System.out.printf(
        "%nDownstream bursts of %d messages, CCS beside HTTP v1:%n%n"
            + "| transport | bound | sends/s | mean in flight (%% of bound) | send-to-ack p99 ms |%n"
            + "|---|---|---|---|---|%n",
        downstream);
    try (CcsEmulator emulator = startEmulator();
        FcmHttpEmulator fcm = FcmHttpEmulator.start("uplink-bench", directory.resolve("fcm"))) {
      burst("CCS, 2 connections", 2 * DOWNSTREAM_WINDOW, emulator, Map.of());
      for (int bound : bounds) {
        Map<String, String> settings = new HashMap<>(fcm.gatewaySettings("uplink.ccs."));
        settings.put("uplink.ccs.http-v1.max-in-flight", String.valueOf(bound));
        burst("HTTP v1", bound, emulator, settings);
      }
    }
  }

  private void burst(
      String transport, int bound, CcsEmulator emulator, Map<String, String> settings)
      throws Exception {
    int jmxPort = PayaraMicroProcess.freePort();
    try (PayaraMicroProcess server = startGateway(emulator, 2, jmxPort, List.of(), settings);
        GatewayJmx jmx = GatewayJmx.connect(jmxPort)) {
      emulator.awaitConnections(SENDER_ID, 2, DRAIN);
      sendDownstream(server, jmx, bound);
      Burst burst = sendDownstream(server, jmx, bound);
      CompositeData sendToAck =
          (CompositeData) jmx.attribute("uplink:type=Downstream", "SendToAck");
      System.out.printf(
          "| %s | %d | %.0f | %.0f %% | %.1f |%n",
          transport,
          bound,
          burst.rate(),
          burst.windowFill(),
          ((Number) sendToAck.get("p99Millis")).doubleValue());
    }
  }

  /** Heap of the gateway holding idle connections, after a full GC. */
  private void idle(int connections) throws Exception {
    if (connections <= 0) {
      return;
    }
    try (CcsEmulator emulator =
        CcsEmulator.builder().sender(SENDER_ID, SERVER_KEY).recordStanzas(false).build().start()) {
      int jmxPort = PayaraMicroProcess.freePort();
      try (PayaraMicroProcess server = startGateway(emulator, connections, jmxPort, List.of());
          GatewayJmx jmx = GatewayJmx.connect(jmxPort)) {
        emulator.awaitConnections(SENDER_ID, connections, DRAIN);
        Thread.sleep(5_000);
        jmx.invoke(new ObjectName("java.lang:type=Memory"), "gc");
        System.out.printf(
            "%n%d idle connections: %d MiB of heap in use after a full GC%n",
            connections, jmx.heapUsed() >> 20);
      }
    }
  }

  private void sweep(int connections, List<Integer> costs, List<String> microOptions)
      throws Exception {
    try (CcsEmulator emulator = startEmulator()) {
      Load ceiling;
      ProcessCost ceilingCost;
      try (CeilingProcess bare =
              CeilingProcess.start(emulator, SENDER_ID, SERVER_KEY, connections);
          GatewayJmx bareJmx = bare.jmx()) {
        load(emulator, 0, 0, Duration.ofSeconds(2));
        ProcessCost.Reading before = ProcessCost.Reading.of(bareJmx);
        ceiling = load(emulator, 0, 0, Duration.ofSeconds(seconds));
        ceilingCost = ProcessCost.since(before, bareJmx, ceiling.messages());
      }
      emulator.await(
          () -> emulator.openConnections(SENDER_ID).isEmpty(), DRAIN, "ceiling clients gone");
      int jmxPort = PayaraMicroProcess.freePort();
      try (PayaraMicroProcess server = startGateway(emulator, connections, jmxPort, microOptions);
          GatewayJmx jmx = GatewayJmx.connect(jmxPort)) {
        emulator.awaitConnections(SENDER_ID, connections, DRAIN);
        load(emulator, 0, 0, Duration.ofSeconds(Math.min(5, seconds)));
        for (int cost : costs) {
          long duplicates = jmx.upstream("Duplicates");
          long gc = jmx.gcMillis();
          CompletableFuture<Burst> downstreamDuring =
              cost > 0
                  ? CompletableFuture.supplyAsync(
                      () -> sendDownstream(server, jmx, connections * DOWNSTREAM_WINDOW))
                  : null;
          ProcessCost.Reading before = ProcessCost.Reading.of(jmx);
          Load uplink = load(emulator, cost, 0, Duration.ofSeconds(seconds));
          ProcessCost uplinkCost = ProcessCost.since(before, jmx, uplink.messages());
          Burst burst =
              downstreamDuring != null
                  ? downstreamDuring.get()
                  : sendDownstream(server, jmx, connections * DOWNSTREAM_WINDOW);
          CompositeData sendToAck =
              (CompositeData) jmx.attribute("uplink:type=Downstream", "SendToAck");
          System.out.printf(
              "| %d | %s | %.0f | %.0f | %.2f | %.1f | %.1f | %.1f | %s | %s | %d | %d | %d"
                  + " | %.0f (%.0f %% full)%s"
                  + " | %.1f |%n",
              connections,
              cost == 0 ? "none" : cost + " ms",
              ceiling.rate(),
              uplink.rate(),
              uplink.rate() / ceiling.rate(),
              uplink.latency().getValueAtPercentile(50) / 1000.0,
              uplink.latency().getValueAtPercentile(99) / 1000.0,
              uplink.latency().getValueAtPercentile(99.9) / 1000.0,
              cost == 0
                  ? String.format(
                      "%.0f / %.0f (%.2f)",
                      uplinkCost.cpuMicros(),
                      ceilingCost.cpuMicros(),
                      uplinkCost.cpuMicros() / ceilingCost.cpuMicros())
                  : "-",
              cost == 0
                  ? String.format(
                      "%.1f / %.1f", uplinkCost.allocatedKib(), ceilingCost.allocatedKib())
                  : "-",
              jmx.upstream("Duplicates") - duplicates,
              jmx.heapUsed() >> 20,
              jmx.gcMillis() - gc,
              burst.rate(),
              burst.windowFill(),
              cost > 0 ? " (during upstream)" : "",
              ((Number) sendToAck.get("p99Millis")).doubleValue());
        }
      }
    }
  }

  /** An emulator that redelivers only after minutes and records no stanzas (it would fill up). */
  private static CcsEmulator startEmulator() {
    return CcsEmulator.builder()
        .sender(SENDER_ID, SERVER_KEY)
        .redeliveryDelay(Duration.ofMinutes(5))
        .maxUnackedUpstream(WINDOW)
        .recordStanzas(false)
        .build()
        .start();
  }

  private PayaraMicroProcess startGateway(
      CcsEmulator emulator, int connections, int jmxPort, List<String> microOptions)
      throws Exception {
    return startGateway(emulator, connections, jmxPort, microOptions, Map.of());
  }

  PayaraMicroProcess startGateway(
      CcsEmulator emulator,
      int connections,
      int jmxPort,
      List<String> microOptions,
      Map<String, String> settings)
      throws Exception {
    return startGateway(emulator, connections, jmxPort, microOptions, settings, List.of());
  }

  /** A gateway started with JVM options of its own after the usual ones (a later -Xmx wins). */
  PayaraMicroProcess startGateway(
      CcsEmulator emulator,
      int connections,
      int jmxPort,
      List<String> microOptions,
      Map<String, String> settings,
      List<String> jvmOptions)
      throws Exception {
    Files.createDirectories(directory);
    Path war = directory.resolve("uplink-" + connections + ".war");
    Map<String, String> all = new HashMap<>(settings);
    all.put("uplink.ccs.connections", String.valueOf(connections));
    all.put("uplink.upstream.categories", CATEGORY);
    GatewayDeployment.of(emulator, all, "io.uplink.it.bench")
        .as(ZipExporter.class)
        .exportTo(war.toFile(), true);
    List<String> jvm =
        new ArrayList<>(
            List.of(
                "-Xmx1g",
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false"));
    jvm.addAll(jvmOptions);
    String extra = System.getProperty("uplink.bench.gateway-options", "");
    if (!extra.isBlank()) {
      jvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    if (Boolean.getBoolean("uplink.bench.jfr")) {
      jvm.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + directory.resolve("gateway-" + connections + ".jfr"));
    }
    PayaraMicroProcess server = new PayaraMicroProcess(war, directory, jvm, microOptions);
    server.start();
    return server;
  }

  /**
   * Injects for the duration, as fast as {@link #WINDOW} unacked messages allow or at a fixed rate
   * per second (when {@code rate} is positive), a share of them redeliveries of messages already
   * acked, then waits until everything is acked.
   */
  private Load load(CcsEmulator emulator, int observerMillis, int rate, Duration duration) {
    run++;
    emulator.takeAckLatencies();
    Map<String, String> data =
        observerMillis > 0 ? Map.of("sleep", String.valueOf(observerMillis)) : Map.of("k", "v");
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long injected = 0;
    long interval = rate > 0 ? 1_000_000_000L / rate : 0;
    while (System.nanoTime() < end) {
      long early = rate > 0 ? start + injected * interval - System.nanoTime() : 0;
      if (early > 0) {
        LockSupport.parkNanos(early);
        continue;
      }
      if (injected % 64 == 0 && emulator.unackedCount() >= WINDOW) {
        LockSupport.parkNanos(100_000);
        continue;
      }
      long n = injected;
      if (n > WINDOW * 2L && ThreadLocalRandom.current().nextDouble() < redeliveries) {
        n = ThreadLocalRandom.current().nextLong(n - WINDOW * 2L);
      }
      try {
        emulator.inject(
            SENDER_ID,
            new Upstream(
                "bench-device-" + (n % devices) + "-0123456789abcdef",
                CATEGORY,
                "r" + run + "-" + n,
                data));
        injected++;
      } catch (IllegalArgumentException stillAwaitingItsAck) {
        // that message is still in flight: the next round picks another
      }
    }
    emulator.await(() -> emulator.unackedCount() == 0, DRAIN, "all acked");
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Load(injected, injected / elapsed, emulator.takeAckLatencies());
  }

  /**
   * Sends the downstream burst through the gateway's CDI API, sampling how full the connections'
   * windows (or the HTTP v1 requests in flight) are every 20 ms while it runs, against {@code
   * capacity}.
   */
  private Burst sendDownstream(PayaraMicroProcess server, GatewayJmx jmx, int capacity) {
    LongAdder samples = new LongAdder();
    LongAdder pending = new LongAdder();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> {
          try {
            pending.add(
                ((Number) jmx.attribute("uplink:type=Sender,id=" + SENDER_ID, "PendingDownstream"))
                    .longValue());
            samples.increment();
          } catch (Exception e) {
            // a sample missed; the mean is over the others
          }
        },
        0,
        20,
        TimeUnit.MILLISECONDS);
    try {
      URI uri =
          server.application().resolve("bench/send?count=" + downstream + "&prefix=d" + ++run);
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      long millis = Long.parseLong(response.body().replaceAll("[^0-9]", ""));
      sampler.shutdownNow();
      double meanPending = pending.sum() / (double) Math.max(1, samples.sum());
      return new Burst(downstream * 1000.0 / Math.max(1, millis), 100 * meanPending / capacity);
    } catch (Exception e) {
      throw new IllegalStateException("downstream burst failed", e);
    } finally {
      sampler.shutdownNow();
    }
  }

  /** A downstream burst: acks per second, and the windows' mean fill in percent. */
  private record Burst(double rate, double windowFill) {}

  /** A comma-separated list; blank is empty, to skip that part of the benchmark. */
  private static List<Integer> ints(String list) {
    if (list.isBlank()) {
      return List.of();
    }
    return Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  /**
   * What one load run measured: messages injected (each acked once), acks per second and the wire
   * latencies in microseconds.
   */
  private record Load(long messages, double rate, Histogram latency) {}
}
