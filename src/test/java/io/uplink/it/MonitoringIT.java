package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.ConnectionEvent;
import io.uplink.emulator.EmulatedConnection;
import io.uplink.emulator.Upstream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees and does: per-connection traffic and latency percentiles over JMX, the
 * reconnect, drain and pause/resume operations, the status document of the admin API, and the
 * Prometheus metrics Payara serves.
 */
@RunAsClient
class MonitoringIT extends GatewayIntegrationTest {

  private static final ObjectName UPSTREAM = GatewayJmx.name("uplink:type=Upstream");

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator = startEmulator(Duration.ofMinutes(5));
    return GatewayDeployment.of(emulator, Map.of("uplink.ccs.drain-timeout", "PT3S"));
  }

  @Test
  void connectionsShowTheirTrafficAndTheTotalsShowReceiveToAckPercentiles() throws Exception {
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      long before = upstreamOnConnections(jmx);
      List<Upstream> messages = inject("monitoring", "traffic", 30);
      awaitAcked(messages);

      assertEquals(before + 30, upstreamOnConnections(jmx));
      assertFalse(((String) jmx.connection(SENDER_ID, 0, "LastActivity")).isEmpty());
      CompositeData latency = (CompositeData) jmx.attribute("uplink:type=Upstream", "ReceiveToAck");
      assertTrue(((Number) latency.get("count")).longValue() >= 30, latency.toString());
      double p50 = ((Number) latency.get("p50Millis")).doubleValue();
      double p99 = ((Number) latency.get("p99Millis")).doubleValue();
      assertTrue(p50 > 0 && p99 >= p50, latency.toString());
      assertEquals(2, jmx.attribute("uplink:type=Sender,id=" + SENDER_ID, "ConnectedConnections"));
      assertEquals(
          before + 30,
          ((Number) jmx.attribute("uplink:type=Sender,id=" + SENDER_ID, "UpstreamReceived"))
              .longValue());
    }
  }

  @Test
  void reconnectReplacesTheStreamOfThatConnection() throws Exception {
    Set<String> before = openIds();
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      jmx.invoke(GatewayJmx.connectionName(SENDER_ID, 0), "reconnect");
      emulator.await(
          () -> openIds().size() == 2 && !openIds().containsAll(before),
          WAIT,
          "a new stream in place of the reconnected one");
      Set<String> kept = openIds();
      kept.retainAll(before);
      assertEquals(1, kept.size(), "the other connection was left alone");
      emulator.await(() -> "CONNECTED".equals(state(jmx, 0)), WAIT, "connection 0 connected again");
    }
  }

  @Test
  void drainOpensTheReplacementBeforeClosingTheOldStream() throws Exception {
    Set<String> before = openIds();
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      jmx.invoke(GatewayJmx.connectionName(SENDER_ID, 1), "drain");
      emulator.await(
          () -> openIds().size() == 2 && !openIds().containsAll(before),
          WAIT,
          "the drained stream closed after its replacement");
    }
    String closedId =
        before.stream().filter(id -> !openIds().contains(id)).findFirst().orElseThrow();
    String newId = openIds().stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
    Instant replacementBound = eventAt(newId, ConnectionEvent.Kind.BOUND);
    Instant oldClosed = eventAt(closedId, ConnectionEvent.Kind.CLOSED);
    assertFalse(oldClosed.isBefore(replacementBound), "closed before the replacement was bound");
  }

  @Test
  void pausedDeliveryHoldsMessagesUnackedUntilResumed() throws Exception {
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      jmx.invoke(UPSTREAM, "pause");
      try {
        assertEquals(true, jmx.attribute("uplink:type=Upstream", "Paused"));
        List<Upstream> messages = inject("monitoring", "paused", 10);
        emulator.await(
            () -> jmx.upstreamBacklog() == 10,
            WAIT,
            "the ten messages waiting in the delivery lanes");
        Instant resumed = Instant.now();
        jmx.invoke(UPSTREAM, "resume");
        awaitAcked(messages);
        assertEquals(0, jmx.upstreamBacklog());
        assertEquals(
            List.of(),
            messages.stream()
                .flatMap(m -> emulator.validAcksFor(m.messageId()).stream())
                .filter(ack -> ack.at().isBefore(resumed))
                .toList(),
            "nothing acked while paused");
      } finally {
        jmx.invoke(UPSTREAM, "resume");
      }
    }
  }

  @Test
  void statusDocumentShowsConnectionsTotalsAndLatestMessagesWithShortenedTokens() {
    List<Upstream> messages = inject("monitoring", "status", 3);
    awaitAcked(messages);

    Map<String, Object> status = probe.status();

    @SuppressWarnings("unchecked")
    Map<String, Object> sender = ((List<Map<String, Object>>) status.get("senders")).get(0);
    assertEquals(SENDER_ID, sender.get("senderId"));
    assertEquals(2, ((Number) sender.get("connected")).intValue());
    @SuppressWarnings("unchecked")
    Map<String, Object> upstream = (Map<String, Object>) status.get("upstream");
    assertTrue(((Number) upstream.get("delivered")).longValue() >= 3, upstream.toString());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> recent = (List<Map<String, Object>>) status.get("recent");
    String token = messages.get(2).from();
    Map<String, Object> latest =
        recent.stream()
            .filter(m -> messages.get(2).messageId().equals(m.get("messageId")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not among the latest: " + recent));
    assertEquals("DELIVERED", latest.get("outcome"));
    assertNotEquals(token, latest.get("device"));
    assertTrue(
        ((String) latest.get("device")).startsWith(token.substring(0, 4)), latest.toString());
    assertFalse(status.toString().contains(token), "the full token is never shown");
  }

  @Test
  void prometheusMetricsCarryCountersPerSenderLatencyHistogramsAndConnections() {
    Map<String, String> sender = Map.of("sender", SENDER_ID);
    double deliveredBefore =
        PrometheusText.parse(probe.metrics()).sum("uplink_upstream_delivered_total", sender);
    awaitAcked(inject("monitoring", "metrics", 5));

    PrometheusText metrics = PrometheusText.parse(probe.metrics());

    assertEquals("counter", metrics.type("uplink_upstream_delivered_total"), metrics.page());
    assertTrue(
        metrics.sum("uplink_upstream_delivered_total", sender) >= deliveredBefore + 5,
        metrics.page());
    assertEquals(0.0, metrics.sum("uplink_downstream_failed_total", sender), "zero, not absent");
    String histogram = "uplink_upstream_receive_to_ack_seconds";
    double count = metrics.sum(histogram + "_count", Map.of());
    assertTrue(count >= 5, metrics.page());
    double infinite = metrics.sum(histogram + "_bucket", Map.of("le", "+Inf"));
    assertTrue(infinite >= 5, metrics.page());
    assertTrue(metrics.sum(histogram + "_sum", Map.of()) > 0);
    List<Double> cumulative =
        metrics.matching(histogram + "_bucket", Map.of()).stream()
            .filter(b -> !b.labels().get("le").equals("+Inf"))
            .sorted((a, b) -> Double.compare(le(a), le(b)))
            .map(PrometheusText.Sample::value)
            .toList();
    assertEquals(13, cumulative.size(), metrics.page());
    for (int i = 1; i < cumulative.size(); i++) {
      assertTrue(cumulative.get(i) >= cumulative.get(i - 1), "cumulative: " + cumulative);
    }
    assertTrue(cumulative.get(cumulative.size() - 1) <= infinite, "+Inf holds every bucket");
    assertEquals(
        1.0,
        metrics.sum("uplink_connection_connected", Map.of("sender", SENDER_ID, "connection", "0")));
  }

  private static double le(PrometheusText.Sample bucket) {
    return Double.parseDouble(bucket.labels().get("le"));
  }

  private static long upstreamOnConnections(GatewayJmx jmx) throws Exception {
    long sum = 0;
    for (int i = 0; i < 2; i++) {
      sum += ((Number) jmx.connection(SENDER_ID, i, "UpstreamReceived")).longValue();
    }
    return sum;
  }

  private static String state(GatewayJmx jmx, int index) {
    try {
      return (String) jmx.connection(SENDER_ID, index, "State");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> openIds() {
    return emulator.openConnections(SENDER_ID).stream()
        .map(EmulatedConnection::id)
        .collect(Collectors.toSet());
  }

  /**
   * When the emulator recorded the event; waits for it, because a connection stops counting as open
   * just before its CLOSED event is recorded.
   */
  private static Instant eventAt(String connectionId, ConnectionEvent.Kind kind) {
    emulator.await(
        () -> event(connectionId, kind).isPresent(), WAIT, kind + " event for " + connectionId);
    return event(connectionId, kind).orElseThrow();
  }

  private static Optional<Instant> event(String connectionId, ConnectionEvent.Kind kind) {
    return emulator.events().stream()
        .filter(e -> e.connectionId().equals(connectionId) && e.kind() == kind)
        .map(ConnectionEvent::at)
        .findFirst();
  }
}
