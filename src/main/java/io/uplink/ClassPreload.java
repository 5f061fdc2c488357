package io.uplink;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Loads every class of the gateway as the application starts. Payara stops the application's class
 * loader at the beginning of an undeployment, before the graceful stop runs: a class first needed
 * then (an answer's result type, {@code SendResult.Outcome}, for CCS's answers to the last
 * messages) fails with {@link NoClassDefFoundError}, and what it was to record is lost until the
 * restart sends it again. Loading is all it does: no class is initialised here. Runs once.
 */
@ApplicationScoped
public class ClassPreload {

  private static final Logger LOG = Logger.getLogger(ClassPreload.class.getName());
  private static final String PACKAGE = "io/uplink";

  void loadAll(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    ClassLoader loader = ClassPreload.class.getClassLoader();
    long loaded = 0;
    try {
      for (URL root : Collections.list(loader.getResources(PACKAGE))) {
        if (!"file".equals(root.getProtocol())) {
          LOG.fine(() -> "Classes under " + root + " are loaded when first used");
          continue;
        }
        Path directory = Path.of(root.toURI());
        for (String name : classNames(directory)) {
          Class.forName(name, false, loader);
          loaded++;
        }
      }
    } catch (IOException | URISyntaxException | ClassNotFoundException | LinkageError e) {
      LOG.log(Level.WARNING, "Could not load every class of the gateway at start", e);
    }
    long count = loaded;
    LOG.fine(() -> "Loaded " + count + " classes of the gateway");
  }

  /** The binary names of the classes under the package's directory. */
  private static List<String> classNames(Path directory) throws IOException {
    Path classesRoot = directory.getParent().getParent();
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(file -> file.toString().endsWith(".class"))
          .map(file -> classesRoot.relativize(file).toString())
          .map(file -> file.substring(0, file.length() - ".class".length()).replace('/', '.'))
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
