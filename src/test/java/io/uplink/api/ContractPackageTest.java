package io.uplink.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract package stands alone: applications compile against {@code uplink-<version>-api.jar},
 * which holds this package only, so nothing here may name a type from the rest of Uplink.
 */
class ContractPackageTest {

  private static final Path SOURCES = Path.of("src/main/java/io/uplink/api");
  private static final Pattern UPLINK_NAME = Pattern.compile("io\\.uplink\\.(\\w+)");

  @Test
  void namesNoTypeOutsideTheContract() throws IOException {
    List<String> outside;
    try (Stream<Path> files = Files.list(SOURCES)) {
      outside =
          files
              .filter(file -> file.toString().endsWith(".java"))
              .flatMap(ContractPackageTest::uplinkPackagesNamed)
              .filter(name -> !name.endsWith(": api"))
              .toList();
    }
    assertEquals(List.of(), outside);
  }

  private static Stream<String> uplinkPackagesNamed(Path file) {
    try {
      Matcher names = UPLINK_NAME.matcher(Files.readString(file));
      return names.results().map(name -> file.getFileName() + ": " + name.group(1));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
