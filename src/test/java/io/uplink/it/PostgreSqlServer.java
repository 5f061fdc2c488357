package io.uplink.it;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server that clustered tests share their database through. By default it is a
 * server of its own, started from the PostgreSQL binaries that Zonky publishes as Maven artifacts
 * (Linux and macOS on x86-64), on loopback and a free port, with its data in a fresh directory that
 * is deleted when it stops: {@code mvn verify} needs no PostgreSQL installed. The system property
 * {@value #EXISTING} (for example {@code jdbc:postgresql://127.0.0.1:5432/}, user {@code postgres}
 * with trust authentication) points the tests at an existing server instead.
 *
 * <p>PostgreSQL refuses to run as root, so when the tests run as root the server runs as the user
 * {@code nobody} ({@code setpriv}, from util-linux); Zonky's own launcher has no such option, which
 * is why this class starts the binaries itself. Not thread-safe; one test drives it.
 */
public final class PostgreSqlServer implements AutoCloseable {

  /** The system property that names an existing server (a JDBC URL ending in {@code /}). */
  static final String EXISTING = "uplink.it.postgresql";

  private static final String USER = "postgres";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(1);
  private static final String UNPRIVILEGED = "nobody";

  private final String baseUrl;
  private final Process process;
  private final Path dataDirectory;
  private final List<String> stopCommand;
  private final Thread stopAtExit = new Thread(this::stopQuietly, "stop embedded PostgreSQL");

  private PostgreSqlServer(
      String baseUrl, Process process, Path dataDirectory, List<String> stopCommand) {
    this.baseUrl = baseUrl;
    this.process = process;
    this.dataDirectory = dataDirectory;
    this.stopCommand = stopCommand;
  }

  /**
   * The server named by {@value #EXISTING}, or else a new embedded one whose files go under {@code
   * workDirectory}.
   */
  public static PostgreSqlServer start(Path workDirectory)
      throws IOException, InterruptedException {
    String existing = System.getProperty(EXISTING, "");
    if (!existing.isBlank()) {
      return new PostgreSqlServer(
          existing.endsWith("/") ? existing : existing + "/", null, null, List.of());
    }
    Path binaries = unpackedBinaries(workDirectory);
    Path data = workDirectory.resolve("postgresql-data-" + UUID.randomUUID());
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    boolean root = new UnixSystem().getUid() == 0;
    if (root) {
      PosixFileAttributeView owner = Files.getFileAttributeView(data, PosixFileAttributeView.class);
      owner.setOwner(
          data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(UNPRIVILEGED));
    }
    Path log = workDirectory.resolve(data.getFileName() + ".log");
    run(
        command(
            root,
            binaries.resolve("bin/initdb").toString(),
            "-A",
            "trust",
            "-U",
            USER,
            "-D",
            data.toString(),
            "-E",
            "UTF-8",
            "--no-locale",
            "--no-sync"),
        log);
    int port = PayaraMicroProcess.freePort();
    Process server =
        new ProcessBuilder(
                command(
                    root,
                    binaries.resolve("bin/postgres").toString(),
                    "-D",
                    data.toString(),
                    "-p",
                    String.valueOf(port),
                    "-h",
                    "127.0.0.1",
                    "-k",
                    "",
                    "-F",
                    "-c",
                    "max_connections=200"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    PostgreSqlServer started =
        new PostgreSqlServer(
            "jdbc:postgresql://127.0.0.1:" + port + "/",
            server,
            data,
            command(
                root,
                binaries.resolve("bin/pg_ctl").toString(),
                "stop",
                "-D",
                data.toString(),
                "-m",
                "fast",
                "-w"));
    Runtime.getRuntime().addShutdownHook(started.stopAtExit);
    try {
      started.awaitAccepting(log);
    } catch (RuntimeException | InterruptedException e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** The JDBC URL of one database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/uplink}. */
  String url(String database) {
    return baseUrl + database;
  }

  /** The user every test connects as; trusted without a password. */
  String user() {
    return USER;
  }

  /** The port it listens on. */
  int port() {
    return URI.create(baseUrl.substring("jdbc:".length())).getPort();
  }

  /**
   * The production file {@code payara/postgresql.properties}, pointed at one database of this
   * server and its user, written to {@code file} for Payara Micro's {@code --systemproperties}: the
   * WAR itself still carries the embedded H2 settings, which these outrank.
   */
  Path payaraProperties(String database, Path file) throws IOException {
    return payaraProperties(url(database), file, "");
  }

  /**
   * The same through a relay on another loopback port in front of the server, with further options
   * appended to the JDBC URL (such as {@code &sslmode=disable}).
   */
  Path payaraPropertiesThrough(int relayPort, String database, Path file, String urlOptions)
      throws IOException {
    return payaraProperties(
        "jdbc:postgresql://127.0.0.1:" + relayPort + "/" + database, file, urlOptions);
  }

  private Path payaraProperties(String url, Path file, String urlOptions) throws IOException {
    Properties properties = new Properties();
    try (Reader production = Files.newBufferedReader(Path.of("payara", "postgresql.properties"))) {
      properties.load(production);
    }
    String production = properties.getProperty("uplink.datasource.url");
    properties.setProperty(
        "uplink.datasource.url", url + production.substring(production.indexOf('?')) + urlOptions);
    properties.setProperty("uplink.datasource.user", USER);
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "payara/postgresql.properties for " + url);
    }
    return file;
  }

  /** The database as a data source, for what takes one (Flyway). */
  public DataSource dataSource(String database) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(url(database));
    dataSource.setUser(USER);
    return dataSource;
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), USER, "");
  }

  public void createDatabase(String name) throws SQLException {
    try (Connection admin = connect("postgres");
        Statement statement = admin.createStatement()) {
      statement.execute("create database " + name);
    }
  }

  public void dropDatabase(String name) throws SQLException {
    try (Connection admin = connect("postgres");
        Statement statement = admin.createStatement()) {
      statement.execute("drop database if exists " + name + " with (force)");
    }
  }

  /**
   * Drops a test's database and stops the server, even when the drop fails; nothing when the test
   * did not get as far as starting it.
   */
  static void dropAndClose(PostgreSqlServer server, String database) throws Exception {
    if (server != null) {
      try {
        server.dropDatabase(database);
      } finally {
        server.close();
      }
    }
  }

  /**
   * Stops an embedded server (a fast shutdown, which ends open sessions; SIGKILL if it has not
   * ended within 30 s) and deletes its data.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    if (process == null) {
      return;
    }
    Runtime.getRuntime().removeShutdownHook(stopAtExit);
    stop();
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  private void stop() throws IOException, InterruptedException {
    new ProcessBuilder(stopCommand)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(30, TimeUnit.SECONDS);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** For a test JVM that exits without closing the server: at least the server goes. */
  private void stopQuietly() {
    try {
      stop();
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }

  private void awaitAccepting(Path log) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("PostgreSQL exited; see " + log);
      }
      try (Connection ignored = connect("postgres")) {
        return;
      } catch (SQLException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "PostgreSQL did not accept connections within " + START_TIMEOUT + "; see " + log);
  }

  private static List<String> command(boolean asUnprivileged, String... command) {
    List<String> full = new ArrayList<>();
    if (asUnprivileged) {
      full.addAll(
          List.of("setpriv", "--reuid=" + UNPRIVILEGED, "--regid=65534", "--clear-groups", "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static void run(List<String> command, Path log) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
    }
  }

  /**
   * The binaries for this platform, unpacked once under {@code workDirectory} from the Zonky
   * artifact on the test class path.
   */
  private static Path unpackedBinaries(Path workDirectory) throws IOException {
    String archive = "postgres-" + platform() + "-x86_64.txz";
    URL resource = PostgreSqlServer.class.getResource("/" + archive);
    if (resource == null) {
      throw new IllegalStateException(
          "no embedded PostgreSQL for this platform ("
              + archive
              + "); point -D"
              + EXISTING
              + " at a server");
    }
    String version = resource.toString().replaceFirst(".*-([0-9.]+)\\.jar!.*", "$1");
    Path target = workDirectory.resolve("postgresql-" + version);
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    Files.createDirectories(workDirectory);
    Path unpacking = Files.createTempDirectory(workDirectory, "postgresql-unpacking");
    try (InputStream txz = resource.openStream()) {
      unpack(txz, unpacking);
    }
    Files.setPosixFilePermissions(unpacking, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static void unpack(InputStream txz, Path into) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(txz))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry outside its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    String owner = (mode & 0100) != 0 ? "rwx" : "rw-";
    String others = (mode & 0100) != 0 ? "r-x" : "r--";
    return PosixFilePermissions.fromString(owner + others + others);
  }

  /** The platform of the binaries: x86-64 Linux, or macOS (Apple silicon runs them in Rosetta). */
  private static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if (os.contains("mac")) {
      return "darwin";
    }
    if (os.contains("linux") && ("amd64".equals(arch) || "x86_64".equals(arch))) {
      return "linux";
    }
    throw new IllegalStateException(
        "no embedded PostgreSQL for "
            + os
            + " on "
            + arch
            + "; point -D"
            + EXISTING
            + " at a server");
  }
}
