package io.uplink.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Payara Micro started as its own process with a given WAR, for tests that must do to the server
 * what Arquillian cannot: kill it with SIGKILL and start it again on the same database. Binds to
 * loopback on a free port; its output goes to a log file under {@code target/}. Not thread-safe;
 * one test drives it.
 */
final class PayaraMicroProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final Path war;
  private final Path logDirectory;
  private final List<String> jvmOptions;
  private final List<String> microOptions;
  private final HttpClient http = LoopbackHttp.client();
  private Path postBootCommands = Path.of("src/test/payara/post-boot-commands.asadmin");
  private Process process;
  private int port;
  private int starts;

  /** A server for a test that puts little load on it: the C1 compiler alone starts it faster. */
  PayaraMicroProcess(Path war, Path logDirectory) {
    this(war, logDirectory, List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"));
  }

  PayaraMicroProcess(Path war, Path logDirectory, List<String> jvmOptions) {
    this(war, logDirectory, jvmOptions, List.of());
  }

  /**
   * @param microOptions further Payara Micro options, e.g. {@code --systemproperties file}
   */
  PayaraMicroProcess(
      Path war, Path logDirectory, List<String> jvmOptions, List<String> microOptions) {
    this.war = war;
    this.logDirectory = logDirectory;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.microOptions = List.copyOf(microOptions);
  }

  /** Boots with these post-boot commands instead of the tests' usual ones, from the next start. */
  PayaraMicroProcess postBootCommands(Path file) {
    postBootCommands = file;
    return this;
  }

  /** Starts the server and waits until {@code /health/ready} answers 200. */
  void start() throws IOException, InterruptedException {
    awaitReady(launch());
  }

  /**
   * Starts the server without waiting for it, for a test that kills it while it boots.
   *
   * @return its log file
   */
  File launch() throws IOException {
    port = freePort();
    starts++;
    Files.createDirectories(logDirectory);
    File log = logDirectory.resolve("payara-" + starts + ".log").toFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-Djava.io.tmpdir=" + logDirectory.toAbsolutePath(),
            "-jar",
            System.getProperty("payara.microJar", "target/payara-micro.jar"),
            "--nocluster",
            "--port",
            String.valueOf(port),
            "--prebootcommandfile",
            "payara/pre-boot-commands.asadmin",
            "--postbootcommandfile",
            postBootCommands.toString()));
    command.addAll(microOptions);
    command.addAll(List.of("--deploy", war.toAbsolutePath().toString()));
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    return log;
  }

  /**
   * Sends a data message to one device through the admin API, as the test admin user.
   *
   * @throws AssertionError unless the API accepted it (202)
   */
  void acceptDownstream(String to, String messageId) throws IOException, InterruptedException {
    String credentials =
        Base64.getEncoder().encodeToString(Probe.ADMIN.getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(application().resolve("api/messages"))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"to\":\""
                            + to
                            + "\",\"message_id\":\""
                            + messageId
                            + "\",\"data\":{\"id\":\""
                            + messageId
                            + "\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new AssertionError(
          "the API did not accept "
              + messageId
              + ": "
              + response.statusCode()
              + " "
              + response.body());
    }
  }

  /**
   * SIGSTOP: the whole JVM freezes, as in a long GC pause or a suspended VM, until {@link #resume}.
   */
  void stall() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #stall}. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
    if (!kill.waitFor(1, TimeUnit.MINUTES) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Waits until the server's JVM ended by itself; returns its exit status, or -1 if it did not. */
  int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** SIGKILL: no shutdown hook, no graceful stop, exactly like a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(1, TimeUnit.MINUTES);
  }

  /**
   * Writes the running server's thread dump ({@code jcmd Thread.print}) next to its log, for a test
   * that timed out waiting on it.
   *
   * @return the file written
   */
  Path dumpThreads() throws IOException, InterruptedException {
    Path dump = logDirectory.resolve("threads-" + starts + ".txt");
    new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            String.valueOf(process.pid()),
            "Thread.print")
        .redirectErrorStream(true)
        .redirectOutput(dump.toFile())
        .start()
        .waitFor(1, TimeUnit.MINUTES);
    return dump;
  }

  /** The log file of the latest start. */
  Path currentLog() {
    return logDirectory.resolve("payara-" + starts + ".log");
  }

  /** Everything the server printed, over all its starts. */
  String logs() throws IOException {
    StringBuilder logs = new StringBuilder();
    for (int start = 1; start <= starts; start++) {
      logs.append(Files.readString(logDirectory.resolve("payara-" + start + ".log")));
    }
    return logs.toString();
  }

  /** The base of the deployed application, e.g. {@code http://127.0.0.1:8123/uplink/}. */
  URI application() {
    return URI.create("http://127.0.0.1:" + port + "/uplink/");
  }

  /** SIGTERM, which stops Payara Micro gracefully; SIGKILL if it has not ended within a minute. */
  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        kill();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(File log) throws InterruptedException {
    URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Payara Micro exited; see " + log);
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(ready).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the HTTP listener is not up yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "Payara Micro not ready within " + START_TIMEOUT + "; see " + log);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
