package io.uplink.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts Debian's Chromium, headless, through Debian's ChromeDriver: the paths come from the
 * failsafe properties {@code uplink.it.chromium} and {@code uplink.it.chromedriver}, which
 * src/test/browser/ensure-chromium.sh made sure exist, so Selenium Manager never downloads a
 * browser or a driver. Each browser gets a fresh profile under {@code target}. The caller quits the
 * driver it gets.
 */
final class HeadlessChromium {

  private HeadlessChromium() {}

  static ChromeDriver start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("uplink.it.chromium", "/usr/bin/chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        // Without these Chromium keeps calling Google's services, which this network refuses.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1400",
        "--user-data-dir=" + freshProfile());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                new File(System.getProperty("uplink.it.chromedriver", "/usr/bin/chromedriver")))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static Path freshProfile() {
    try {
      Path parent = Files.createDirectories(Path.of("target", "chromium-profiles"));
      return Files.createTempDirectory(parent, "profile-").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Chromium profile directory", e);
    }
  }
}
