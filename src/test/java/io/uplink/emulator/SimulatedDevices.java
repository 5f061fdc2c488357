package io.uplink.emulator;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fleet of fake devices of one app ({@code com.example.app}) that send upstream messages through
 * a {@link CcsEmulator} at a steady total rate, for the demo and for benchmarks. Each device has a
 * token {@code device-<n>-<random>} and numbers its messages {@code 1, 2, 3, ...}, as device apps
 * do.
 *
 * <p>Lifecycle: {@link #start} begins sending on a daemon thread; {@link #close()} stops it.
 * Thread-safe.
 */
public final class SimulatedDevices implements AutoCloseable {

  /** The package name put in every message's {@code category}. */
  public static final String CATEGORY = "com.example.app";

  private static final long TICK_MILLIS = 10;

  private final CcsEmulator emulator;
  private final String senderId;
  private final List<String> tokens;
  private final long[] counters;
  private final double messagesPerTick;
  private final AtomicLong sent = new AtomicLong();
  private final ScheduledExecutorService ticker;
  private double owed;
  private int nextDevice;

  private SimulatedDevices(
      CcsEmulator emulator, String senderId, int devices, double messagesPerSecond) {
    this.emulator = emulator;
    this.senderId = senderId;
    List<String> names = new ArrayList<>(devices);
    for (int n = 1; n <= devices; n++) {
      byte[] random = new byte[6];
      ThreadLocalRandom.current().nextBytes(random);
      names.add("device-" + n + "-" + HexFormat.of().formatHex(random));
    }
    this.tokens = List.copyOf(names);
    this.counters = new long[devices];
    this.messagesPerTick = messagesPerSecond * TICK_MILLIS / 1000.0;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "ccs-emulator-devices-" + senderId);
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts {@code devices} devices that together send {@code messagesPerSecond} upstream messages
   * to {@code senderId}, spread round robin over the devices.
   */
  public static SimulatedDevices start(
      CcsEmulator emulator, String senderId, int devices, double messagesPerSecond) {
    if (devices < 1 || messagesPerSecond <= 0) {
      throw new IllegalArgumentException("need at least one device and a positive rate");
    }
    SimulatedDevices fleet = new SimulatedDevices(emulator, senderId, devices, messagesPerSecond);
    fleet.ticker.scheduleAtFixedRate(fleet::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return fleet;
  }

  /** The devices' registration tokens. */
  public List<String> tokens() {
    return tokens;
  }

  /** How many messages have been injected so far. */
  public long sent() {
    return sent.get();
  }

  /**
   * Stops sending and waits briefly for the current tick to end; messages already injected stay.
   */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void tick() {
    owed += messagesPerTick;
    while (owed >= 1 && !Thread.currentThread().isInterrupted()) {
      owed -= 1;
      int device = nextDevice;
      nextDevice = (nextDevice + 1) % tokens.size();
      long number = ++counters[device];
      emulator.inject(
          senderId,
          new Upstream(
              tokens.get(device),
              CATEGORY,
              Long.toString(number),
              Map.of(
                  "text", "hello " + number, "sentAt", Long.toString(System.currentTimeMillis()))));
      sent.incrementAndGet();
    }
  }
}
