package io.uplink.it;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.uplink.emulator.CcsEmulator;
import io.uplink.emulator.FcmHttpEmulator;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.filter.StanzaExtensionFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * The benchmark's downstream ceilings: clients that send downstream messages with no outbox, no
 * database and no application server, within the same bounds as the gateway (CCS's window of 100
 * per connection; HTTP v1's requests in flight), and count the answers. What they reach against an
 * emulator on this machine bounds what durable sending can reach.
 */
final class BareDownstreamSenders {

  private static final String ELEMENT = "gcm";
  private static final String NAMESPACE = "google:mobile:data";
  private static final Duration LIMIT = Duration.ofMinutes(5);
  private static final int STREAMS = 100;

  static {
    Roster.setRosterLoadedAtLoginDefault(false);
  }

  private BareDownstreamSenders() {}

  /**
   * Sends {@code messages} over {@code connections} bare Smack connections, at most {@code window}
   * unanswered on each, and waits for every answer.
   *
   * @return from the first send to the last answer
   */
  static Duration smack(
      CcsEmulator emulator, String senderId, String key, int connections, int window, int messages)
      throws Exception {
    List<XMPPTCPConnection> opened = new ArrayList<>();
    List<Semaphore> windows = new ArrayList<>();
    CountDownLatch answered = new CountDownLatch(messages);
    try {
      for (int i = 0; i < connections; i++) {
        XMPPTCPConnection connection =
            new XMPPTCPConnection(
                XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain("gcm.googleapis.com")
                    .setHostAddress(InetAddress.getByName(emulator.host()))
                    .setPort(emulator.port())
                    .setSocketFactory(emulator.clientSslContext().getSocketFactory())
                    .setSecurityMode(SecurityMode.disabled)
                    .addEnabledSaslMechanism("PLAIN")
                    .setUsernameAndPassword(senderId + "@gcm.googleapis.com", key)
                    .setResource("bare-sender-" + i)
                    .setSendPresence(false)
                    .build());
        Semaphore room = new Semaphore(window);
        connection.addSyncStanzaListener(
            stanza -> {
              room.release();
              answered.countDown();
            },
            new StanzaExtensionFilter(ELEMENT, NAMESPACE));
        connection.connect().login();
        opened.add(connection);
        windows.add(room);
      }
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        int index = i % connections;
        windows.get(index).acquire();
        send(opened.get(index), i);
      }
      if (!answered.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the bare Smack sender got no answer to some messages");
      }
      return Duration.ofNanos(System.nanoTime() - start);
    } finally {
      opened.forEach(XMPPTCPConnection::disconnect);
    }
  }

  private static void send(XMPPTCPConnection connection, int i)
      throws SmackException.NotConnectedException, InterruptedException {
    String json =
        "{\"to\":\"bare-token-"
            + (i % 100)
            + "-0123456789abcdef\",\"message_id\":\"bare-"
            + i
            + "\",\"data\":{\"n\":\""
            + i
            + "\"}}";
    Message message =
        connection
            .getStanzaFactory()
            .buildMessageStanza()
            .addExtension(
                StandardExtensionElement.builder(ELEMENT, NAMESPACE).setText(json).build())
            .build();
    connection.sendStanza(message);
  }

  /**
   * Posts {@code messages} to FCM's HTTP v1 API with the JDK's HTTP/2 client, at most {@code
   * inFlight} at once (a client, so a connection, per 100 of them: FCM's streams per connection),
   * with an access token from the emulator's service account, and waits for every answer. Each
   * request waits for its answer on a thread of a pool as large as the bound, as the gateway does:
   * {@link HttpClient#sendAsync} would start a thread per answer on this 2-core machine (see {@code
   * HttpV1Channel}).
   *
   * @return from the first request to the last answer
   */
  static Duration http2(FcmHttpEmulator fcm, String projectId, int inFlight, int messages)
      throws Exception {
    SSLContext tls = trusting(fcm);
    NetHttpTransport transport =
        new NetHttpTransport.Builder().setSslSocketFactory(tls.getSocketFactory()).build();
    GoogleCredentials credentials;
    try (InputStream key = Files.newInputStream(fcm.serviceAccountFile())) {
      credentials =
          ServiceAccountCredentials.fromStream(key, () -> transport).toBuilder()
              .setScopes(List.of("https://www.googleapis.com/auth/firebase.messaging"))
              .setTokenServerUri(fcm.tokenUrl())
              .setHttpTransportFactory(() -> transport)
              .build();
    }
    credentials.refresh();
    String token = credentials.getAccessToken().getTokenValue();
    List<HttpClient> clients = new ArrayList<>();
    List<Semaphore> rooms = new ArrayList<>();
    for (int left = inFlight; left > 0; left -= STREAMS) {
      clients.add(
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(tls).build());
      rooms.add(new Semaphore(Math.min(left, STREAMS)));
    }
    URI send = fcm.baseUrl().resolve("/v1/projects/" + projectId + "/messages:send");
    ExecutorService waiting = Executors.newFixedThreadPool(inFlight);
    List<Future<?>> answers = new ArrayList<>(messages);
    long start = System.nanoTime();
    try {
      for (int i = 0; i < messages; i++) {
        HttpClient http = clients.get(i % clients.size());
        Semaphore room = rooms.get(i % clients.size());
        room.acquire();
        HttpRequest request =
            HttpRequest.newBuilder(send)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"message\":{\"token\":\"bare-token-"
                            + (i % 100)
                            + "-0123456789abcdef\",\"data\":{\"id\":\"bare-"
                            + i
                            + "\"}}}"))
                .build();
        answers.add(
            waiting.submit(
                () -> {
                  try {
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                  } finally {
                    room.release();
                  }
                }));
      }
      long deadline = System.nanoTime() + LIMIT.toNanos();
      for (Future<?> answer : answers) {
        answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      return Duration.ofNanos(System.nanoTime() - start);
    } finally {
      waiting.shutdownNow();
    }
  }

  private static SSLContext trusting(FcmHttpEmulator fcm) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(fcm.trustStore())) {
      trusted.load(in, fcm.trustStorePassword().toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return tls;
  }
}
