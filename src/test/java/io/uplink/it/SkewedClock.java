package io.uplink.it;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * A Java agent that sets a JVM's wall clock off by a fixed amount, as a badly synchronised host
 * would: {@code Instant.now()}, {@code Clock.systemUTC()} and everything built on them (the log's
 * timestamps among them) read the true time plus the skew; {@code System.nanoTime()} is untouched.
 * The JDK offers no such setting and libfaketime slows Payara Micro's start past any useful
 * timeout, so the agent rewrites the two JDK methods that read it with Byte Buddy (which Hibernate
 * already brings to the test class path).
 *
 * <p>{@link #jvmOptions} builds the agent's jar next to a test's logs and returns the options that
 * load it.
 */
public final class SkewedClock {

  private static final String SKEW_PROPERTY = "uplink.test.clock-skew-millis";

  private SkewedClock() {}

  /** The options that start a JVM whose wall clock is {@code skew} off the true time. */
  static List<String> jvmOptions(Duration skew, Path directory) throws IOException {
    Files.createDirectories(directory);
    Path jar = directory.resolve("skewed-clock-agent.jar");
    Manifest manifest = new Manifest();
    Attributes attributes = manifest.getMainAttributes();
    attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    attributes.putValue("Premain-Class", SkewedClock.class.getName());
    attributes.putValue("Can-Retransform-Classes", "true");
    attributes.putValue("Class-Path", byteBuddyJar().toUri().toString());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream agentJar = new JarOutputStream(out, manifest)) {
      for (Class<?> type : List.of(SkewedClock.class, SkewedInstant.class, SkewedMillis.class)) {
        addClass(agentJar, type);
      }
    }
    return List.of("-javaagent:" + jar, "-D" + SKEW_PROPERTY + "=" + skew.toMillis());
  }

  /** The agent's entry point: rewrites the system clock before the application starts. */
  public static void premain(String arguments, Instrumentation instrumentation) {
    new AgentBuilder.Default()
        .ignore(none())
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .type(named("java.time.Clock"))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(SkewedInstant.class).on(named("currentInstant"))))
        .type(named("java.time.Clock$SystemClock"))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(SkewedMillis.class).on(named("millis"))))
        .installOn(instrumentation);
  }

  /**
   * Inlined into {@code Clock.currentInstant()}, behind {@code Instant.now()} and the system
   * clocks' {@code instant()}; may use only what java.base sees.
   */
  static final class SkewedInstant {
    @Advice.OnMethodExit
    static void exit(@Advice.Return(readOnly = false) Instant instant) {
      instant = instant.plusMillis(Long.getLong(SKEW_PROPERTY, 0));
    }
  }

  /** Inlined into {@code Clock.SystemClock.millis()}; may use only what java.base sees. */
  static final class SkewedMillis {
    @Advice.OnMethodExit
    static void exit(@Advice.Return(readOnly = false) long millis) {
      millis = millis + Long.getLong(SKEW_PROPERTY, 0);
    }
  }

  private static Path byteBuddyJar() {
    try {
      return Path.of(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Byte Buddy's jar has no usable location", e);
    }
  }

  private static void addClass(JarOutputStream jar, Class<?> type) throws IOException {
    String name = type.getName().replace('.', '/') + ".class";
    jar.putNextEntry(new JarEntry(name));
    try (InputStream bytes = type.getClassLoader().getResourceAsStream(name)) {
      bytes.transferTo(jar);
    }
    jar.closeEntry();
  }
}
