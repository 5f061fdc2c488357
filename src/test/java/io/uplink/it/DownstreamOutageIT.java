package io.uplink.it;

import static io.uplink.it.GatewayDeployment.SENDER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplink.emulator.Upstream;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.management.ObjectName;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * A downstream message accepted while CCS refuses every login stays pending, however long the
 * outage lasts, and is sent once when CCS is back; only the caller's wait times out. The suite's
 * outage lasts {@code uplink.it.downstream-outage-seconds} (45 s, over twenty send timeouts); the
 * README gives the command for two minutes, as the issue that found the hole tried it. One whose
 * time_to_live runs out during the outage expires and is never sent.
 */
@RunAsClient
class DownstreamOutageIT extends GatewayIntegrationTest {

  private static final ObjectName UPSTREAM = GatewayJmx.name("uplink:type=Upstream");

  /** How long CCS refuses every login. */
  private static final Duration OUTAGE =
      Duration.ofSeconds(Integer.getInteger("uplink.it.downstream-outage-seconds", 45));

  private static final String SEND_TIMEOUT = "PT2S";

  private static final Jsonb JSONB = JsonbBuilder.create();

  @Deployment(testable = false)
  static WebArchive deployment() {
    emulator = startEmulator(Duration.ofSeconds(2));
    return GatewayDeployment.of(emulator, Map.of("uplink.downstream.send-timeout", SEND_TIMEOUT));
  }

  @Test
  void everyMessageAcceptedDuringAnOutageIsSentOnceAfterIt() throws Exception {
    List<Upstream> upstream = repliedTo("outage-observer", 10);
    try (GatewayJmx jmx = GatewayJmx.connect()) {
      jmx.invoke(UPSTREAM, "pause");
      upstream.forEach(m -> emulator.inject(SENDER_ID, m));
      emulator.await(() -> jmx.upstreamBacklog() >= upstream.size(), WAIT, "messages held");
      long outageStart = System.nanoTime();
      emulator.startOutage();
      emulator.await(
          () -> emulator.openConnections(SENDER_ID).isEmpty(), WAIT, "every connection down");
      jmx.invoke(UPSTREAM, "resume");
      emulator.await(() -> jmx.upstreamBacklog() == 0, WAIT, "observers ran and sent replies");

      List<String> viaApi = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String id = "outage-api-" + i;
        assertEquals(
            202,
            probe.accept(
                "{\"to\":\"outage-api-token-" + i + "\"," + "\"message_id\":\"" + id + "\"}"));
        viaApi.add(id);
      }
      assertEquals(
          202,
          probe.accept(
              "{\"to\":\"outage-api-token-short\",\"message_id\":\"outage-short-ttl\","
                  + "\"time_to_live\":1}"));
      Map<String, String> viaCdi = probe.send("outage-cdi-{n}", "outage-cdi", 10, false);
      assertTrue(
          viaCdi.values().stream().allMatch("TIMED_OUT SEND_TIMEOUT"::equals),
          "the callers' waits end after the send timeout: " + viaCdi);
      List<String> cancelled = cancelTwoPending(viaApi);

      emulator.await(
          () -> System.nanoTime() - outageStart > OUTAGE.toNanos(),
          OUTAGE.plus(WAIT),
          "the outage lasting " + OUTAGE);
      assertTrue(emulator.authFailures().size() >= 10, "the gateway kept trying to log in");
      emulator.endOutage();

      List<String> accepted = new ArrayList<>(viaApi);
      accepted.addAll(viaCdi.keySet());
      upstream.forEach(m -> accepted.add(m.messageId() + "-reply-0"));
      emulator.await(
          () -> accepted.stream().allMatch(id -> probe.messageState(id).equals("acked")),
          WAIT,
          "every accepted message acked");
      for (String id : accepted) {
        assertEquals(1, emulator.downstreamCount(id), id + " written to CCS exactly once");
      }
      for (String id : cancelled) {
        assertEquals("cancelled", probe.messageState(id));
        assertEquals(0, emulator.downstreamCount(id), id + " cancelled: never written to CCS");
      }
      awaitAcked(upstream);
      upstream.forEach(
          m ->
              assertEquals(
                  1L,
                  probe.deliveriesPerMessageId().get(m.messageId()),
                  m.messageId() + " delivered once"));
      assertEquals("expired", probe.messageState("outage-short-ttl"));
      assertEquals(0, emulator.downstreamCount("outage-short-ttl"), "never sent late");
      assertEquals(1, jmx.downstream("Expired"));
    }
  }

  /**
   * An operator lists the pending messages (oldest first, paged) and cancels two of those accepted
   * through the API, still queued (200); a second cancel changes nothing, one of an unknown id is
   * 404.
   *
   * @return the ids cancelled, taken out of {@code viaApi}
   */
  private List<String> cancelTwoPending(List<String> viaApi) {
    HttpResponse<String> page = probe.admin("GET", "api/messages?state=pending&size=5", null);
    assertEquals(200, page.statusCode(), page.body());
    Map<?, ?> listed = JSONB.fromJson(page.body(), Map.class);
    assertTrue(((Number) listed.get("total")).intValue() >= 21, "all pending counted: " + listed);
    List<?> messages = (List<?>) listed.get("messages");
    assertEquals(5, messages.size(), "one page of five");
    for (Object listedMessage : messages) {
      Map<?, ?> message = (Map<?, ?>) listedMessage;
      assertEquals("pending", message.get("state"), "pending: " + message);
      assertTrue(
          String.valueOf(message.get("message_id")).startsWith("outage-observer-"),
          "in the order recorded, so first the observers' replies: " + message);
      assertTrue(message.get("owner") != null, "the sending instance named: " + message);
    }

    List<String> cancelled = List.of(viaApi.remove(3), viaApi.remove(7));
    for (String id : cancelled) {
      HttpResponse<String> cancel = probe.admin("DELETE", "api/messages/" + id, null);
      assertEquals(200, cancel.statusCode(), cancel.body());
      assertEquals("cancelled", JSONB.fromJson(cancel.body(), Map.class).get("state"));
      HttpResponse<String> again = probe.admin("DELETE", "api/messages/" + id, null);
      assertEquals(200, again.statusCode(), "cancelling again changes nothing: " + again.body());
    }
    assertEquals(404, probe.admin("DELETE", "api/messages/no-such-message", null).statusCode());
    assertEquals(
        400, probe.admin("GET", "api/messages", null).statusCode(), "listing needs state=pending");
    return cancelled;
  }

  /** Upstream messages whose observer sends one reply each, from five devices. */
  private static List<Upstream> repliedTo(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                new Upstream(
                    prefix + "-device-" + (i % 5) + "-0123456789abcdef",
                    APP,
                    prefix + "-" + i,
                    Map.of("replies", "1")))
        .toList();
  }
}
