package io.uplink.it;

import io.uplink.emulator.CcsEmulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@link BareSmackCeiling} in a JVM of its own, with a JMX port on loopback, so that the
 * benchmark reads its CPU time and allocation the way it reads the gateway's. Stops when closed.
 */
final class CeilingProcess implements AutoCloseable {

  private final Process process;
  private final int jmxPort;

  private CeilingProcess(Process process, int jmxPort) {
    this.process = process;
    this.jmxPort = jmxPort;
  }

  /**
   * Starts the ceiling with {@code count} connections to the emulator; returns once they are up.
   */
  static CeilingProcess start(CcsEmulator emulator, String senderId, String key, int count)
      throws IOException {
    int jmxPort = PayaraMicroProcess.freePort();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-Dcom.sun.management.jmxremote.port=" + jmxPort,
            "-Dcom.sun.management.jmxremote.host=127.0.0.1",
            "-Dcom.sun.management.jmxremote.authenticate=false",
            "-Dcom.sun.management.jmxremote.ssl=false",
            "-cp",
            classPath(),
            BareSmackCeiling.class.getName(),
            emulator.host(),
            String.valueOf(emulator.port()),
            emulator.trustStore().toAbsolutePath().toString(),
            emulator.trustStorePassword(),
            senderId,
            key,
            String.valueOf(count));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CeilingProcess ceiling = new CeilingProcess(process, jmxPort);
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      if (line.equals(BareSmackCeiling.READY)) {
        Thread drain = new Thread(() -> discard(output), "ceiling-output");
        drain.setDaemon(true);
        drain.start();
        return ceiling;
      }
      seen.append(line).append('\n');
    }
    ceiling.close();
    throw new IOException("the ceiling process ended before it connected:\n" + seen);
  }

  /** Its JVM's figures. */
  GatewayJmx jmx() throws IOException {
    return GatewayJmx.connect(jmxPort);
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      process.waitFor();
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * The benchmark's test class path: exec-maven-plugin runs it in Maven's JVM from a class loader
   * of its own, so {@code java.class.path} does not hold it.
   */
  private static String classPath() {
    if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
      return Arrays.stream(loader.getURLs())
          .map(CeilingProcess::path)
          .collect(Collectors.joining(java.io.File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  private static String path(URL url) {
    try {
      return Path.of(url.toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException("not a file on the class path: " + url, e);
    }
  }

  private static void discard(BufferedReader output) {
    try {
      while (output.readLine() != null) {
        // the ceiling logs nothing worth keeping once it is up
      }
    } catch (IOException e) {
      // the process ended
    }
  }
}
