package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.Upstream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at {@code /uplink/}, in a real headless Chromium: it asks for the admin's
 * credentials, shows the sender's connections, and its figures, rate chart and latest messages
 * follow the traffic. Each test leaves a screenshot in {@code target/dashboard-screenshots}.
 */
@RunAsClient
class DashboardIT extends GatewayIntegrationTest {

  private static final String USER = "uplink-admin";
  private static final String PASSWORD = "it-admin-secret";

  private static ChromeDriver browser;

  private final HttpClient http = LoopbackHttp.client();

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator = startEmulator(Duration.ofMinutes(5));
    return GatewayDeployment.of(emulator, Map.of("uplink.upstream.max-attempts", "1"));
  }

  @BeforeAll
  static void startBrowser() {
    browser = HeadlessChromium.start();
  }

  @AfterAll
  static void quitBrowser() {
    browser.quit();
  }

  /** Signs in with the credentials in the address; Chromium reuses them for the page's fetches. */
  @BeforeEach
  void openDashboard() {
    browser.get(
        "http://"
            + USER
            + ":"
            + PASSWORD
            + "@127.0.0.1:"
            + deploymentUrl.getPort()
            + deploymentUrl.getPath());
    awaitPage(() -> !text(By.id("updated")).startsWith("Waiting"), "the first status shown");
  }

  @AfterEach
  void saveScreenshot(TestInfo test) throws IOException {
    Path directory = Files.createDirectories(Path.of("target", "dashboard-screenshots"));
    Files.write(
        directory.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
        browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void showsBothConnectionsOfTheSenderAsConnected() {
    By rows = By.cssSelector("table[data-sender='" + SENDER_ID + "'] tbody tr");
    awaitPage(
        () -> {
          List<WebElement> connections = browser.findElements(rows);
          return connections.size() == 2
              && connections.stream()
                  .allMatch(
                      row ->
                          "CONNECTED"
                              .equals(
                                  row.findElement(By.cssSelector("[data-field=state]")).getText()));
        },
        "two CONNECTED rows for sender " + SENDER_ID);
    assertEquals(
        "Sender " + SENDER_ID + ": 2 of 2 connected",
        text(By.cssSelector("table[data-sender='" + SENDER_ID + "'] caption")));
  }

  @Test
  void upstreamFiguresAndRateChartMoveWhileMessagesFlow() {
    long received = figure("upstream-received");
    long delivered = figure("upstream-delivered");

    inject("dashboard", "flow", 200);

    awaitPage(
        () -> figure("upstream-received") >= received + 200,
        "upstream received up by 200 from " + received);
    awaitPage(
        () -> figure("upstream-delivered") >= delivered + 200,
        "delivered up by 200 from " + delivered);
    awaitPage(() -> peak("upstream") > 0, "a non-zero point on the upstream rate line");
    assertFalse(
        browser
            .findElement(By.cssSelector("[data-series=upstream]"))
            .getDomAttribute("points")
            .isBlank());
  }

  @Test
  void downstreamFiguresAndRateChartMoveWhenMessagesAreSent() throws Exception {
    long sent = figure("downstream-sent");
    long acked = figure("downstream-acked");

    for (int i = 0; i < 20; i++) {
      HttpResponse<String> posted = postMessage("{\"to\":\"dashboard-token-0123456789abcdef\"}");
      assertEquals(202, posted.statusCode(), posted.body());
    }

    awaitPage(() -> figure("downstream-sent") >= sent + 20, "downstream sent up by 20");
    awaitPage(() -> figure("downstream-acked") >= acked + 20, "downstream acked up by 20");
    awaitPage(() -> peak("downstream") > 0, "a non-zero point on the downstream rate line");
  }

  @Test
  void latestMessagesShowTheDeviceTokenShortenedNeverInFull() {
    Upstream message = inject("dashboard", "latest", 1).get(0);
    By row = By.cssSelector("#recent tr[data-message-id='" + message.messageId() + "']");

    awaitPage(() -> !browser.findElements(row).isEmpty(), "the message among the latest");

    String device =
        text(
            By.cssSelector(
                "#recent tr[data-message-id='" + message.messageId() + "'] [data-field=device]"));
    assertTrue(device.startsWith(message.from().substring(0, 8)), device);
    assertFalse(device.contains(message.from()), device);
    assertFalse(browser.getPageSource().contains(message.from()), "full token in the page");
    assertEquals(
        "DELIVERED",
        text(
            By.cssSelector(
                "#recent tr[data-message-id='" + message.messageId() + "'] [data-field=outcome]")));
  }

  /**
   * A message whose observer fails is dead-lettered at once here (max-attempts 1). The page lists
   * it with the token abbreviated; once the observer works again, its Replay button delivers it
   * through the normal path and it leaves the list.
   */
  @Test
  void deadLettersAreListedAndReplayedFromThePage() {
    String messageId = "dashboard-poison-" + System.nanoTime();
    String device = "dashboard-device-poison-0123456789abcdef";
    probe.failUpstream(messageId, true);
    emulator.inject(SENDER_ID, new Upstream(device, APP, messageId, Map.of("fail", "listed")));
    By row = By.cssSelector("#dead-letters tr[data-message-id='" + messageId + "']");
    awaitPage(() -> !browser.findElements(row).isEmpty(), "the dead letter listed");
    String shownDevice =
        browser.findElement(row).findElement(By.cssSelector("[data-field=device]")).getText();
    assertTrue(shownDevice.startsWith(device.substring(0, 8)), shownDevice);
    assertFalse(browser.getPageSource().contains(device), "full token in the page");
    assertEquals(
        "1",
        browser.findElement(row).findElement(By.cssSelector("[data-field=attempts]")).getText());

    probe.failUpstream(messageId, false);
    browser.findElement(row).findElement(By.tagName("button")).click();

    awaitPage(
        () -> text(By.id("replay-outcome")).equals(messageId + ": delivered"),
        "the replay's outcome shown");
    awaitPage(() -> browser.findElements(row).isEmpty(), "the replayed letter gone from the list");
    assertEquals(1L, probe.deliveriesPerMessageId().get(messageId), "delivered once by the replay");
  }

  @Test
  void anUnauthorizedAnswerFromTheApiIsShownOnThePage() {
    // Stands in for credentials that stopped working: the page's next polls get a 401.
    browser.executeScript("window.fetch = () => Promise.resolve(new Response('', {status: 401}));");

    awaitPage(() -> browser.findElement(By.id("error")).isDisplayed(), "the error shown");
    assertTrue(text(By.id("error")).contains("401"), text(By.id("error")));
  }

  @Test
  void thePageAndItsFilesAnswer401WithoutCredentials() throws Exception {
    for (String path :
        List.of("", "index.html", "dashboard.js", "dead-letters.js", "dashboard.css")) {
      HttpResponse<String> anonymous = get(path, null);
      assertEquals(401, anonymous.statusCode(), path);
      assertTrue(
          anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), path);
      assertEquals(200, get(path, USER + ":" + PASSWORD).statusCode(), path);
    }
  }

  @Test
  void healthStaysOpenWithoutCredentials() {
    assertEquals(200, probe.health("live").statusCode());
  }

  /** Waits for a condition on the page; the page replaces its tables every second. */
  private static void awaitPage(BooleanSupplier condition, String what) {
    new WebDriverWait(browser, WAIT)
        .withMessage(what)
        .ignoring(StaleElementReferenceException.class)
        .until(driver -> condition.getAsBoolean());
  }

  private static String text(By element) {
    return browser.findElement(element).getText();
  }

  /** A total as the page shows it, e.g. "1,234". */
  private static long figure(String name) {
    String shown = text(By.cssSelector("[data-figure='" + name + "']"));
    return Long.parseLong(shown.replace(",", ""));
  }

  /** The highest rate, in messages per second, on one line of the chart. */
  private static double peak(String series) {
    return Double.parseDouble(
        browser
            .findElement(By.cssSelector("[data-series='" + series + "']"))
            .getDomAttribute("data-peak"));
  }

  private HttpResponse<String> postMessage(String json) throws Exception {
    return http.send(
        request("api/messages", USER + ":" + PASSWORD)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String credentials) throws Exception {
    return http.send(
        request(path, credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path, String credentials) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:" + deploymentUrl.getPort() + deploymentUrl.getPath() + path));
    if (credentials != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }
}
