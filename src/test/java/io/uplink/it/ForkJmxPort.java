package io.uplink.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives each test JVM's managed Payara Micro a JMX port of its own. The integration tests run in
 * two JVMs at once, and the Arquillian container takes its options from the system property {@code
 * payara.cmdOptions} when it starts; so before any test runs, this listener picks a free port and
 * sets that property to the build's options ({@code uplink.it.payaraOptions}) plus the port, and
 * {@code uplink.it.jmxPort} to the port for the tests that connect to it ({@link GatewayJmx}). It
 * does nothing in a JVM without {@code uplink.it.payaraOptions}, such as the unit tests'.
 */
public final class ForkJmxPort implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String options = System.getProperty("uplink.it.payaraOptions");
    if (options == null || System.getProperty("payara.cmdOptions") != null) {
      return;
    }
    int port;
    try {
      port = PayaraMicroProcess.freePort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the managed Payara Micro's JMX", e);
    }
    System.setProperty("uplink.it.jmxPort", String.valueOf(port));
    System.setProperty(
        "payara.cmdOptions", options + " -Dcom.sun.management.jmxremote.port=" + port);
  }
}
