package io.uplink.httpv1;

import io.uplink.config.CcsSettings;
import io.uplink.config.DownstreamSettings;
import io.uplink.config.HttpV1Settings;
import io.uplink.config.InvalidConfigurationException;
import io.uplink.config.SenderSettings;
import io.uplink.config.TrustStores;
import io.uplink.downstream.DownstreamOutcomes;
import io.uplink.downstream.DownstreamQueue;
import io.uplink.downstream.OrphanAdoption;
import io.uplink.downstream.SendRoom;
import io.uplink.downstream.SenderDispatch;
import io.uplink.stats.GatewayCounters;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Starts and stops the HTTP v1 channels of the senders configured with {@code downstream=http-v1}:
 * per sender a channel and a dispatcher taking its messages off the downstream queue (the XMPP pool
 * starts none for them), and, for a send-only sender without connections, the periodic adoption of
 * what dead instances left pending, which connection assignments do for the others. One HTTP/2
 * client per hundred requests in flight (one HTTP/2 connection each) serves each sender.
 * Thread-safe.
 */
@ApplicationScoped
public class HttpV1Transport {

  private static final Logger LOG = Logger.getLogger(HttpV1Transport.class.getName());
  private static final Duration ORPHAN_SWEEP = Duration.ofSeconds(30);

  @Inject CcsSettings ccs;
  @Inject HttpV1Settings settings;
  @Inject DownstreamSettings downstream;
  @Inject DownstreamQueue queue;
  @Inject DownstreamOutcomes outcomes;
  @Inject OrphanAdoption orphans;
  @Inject GatewayCounters counters;

  /**
   * Runs the HTTP clients' work and the token refreshes: threads of the managed thread factory,
   * which set up the application's context once per thread, where the managed executor captures it
   * again for every task (the clients hand it one per frame).
   */
  private ExecutorService executor;

  @Resource ManagedScheduledExecutorService scheduler;
  @Resource ManagedThreadFactory threads;

  private final Map<String, HttpV1Channel> channels = new ConcurrentHashMap<>();
  private final List<SenderDispatch> dispatches = new CopyOnWriteArrayList<>();
  private final List<ScheduledFuture<?>> sweeps = new CopyOnWriteArrayList<>();

  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    List<SenderSettings> senders =
        ccs.senders().stream().filter(SenderSettings::sendsOverHttpV1).toList();
    if (senders.isEmpty()) {
      return;
    }
    SSLContext tls = tls();
    executor = Executors.newCachedThreadPool(threads);
    Supplier<HttpClient> clients =
        () ->
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(executor)
                .build();
    SendRoom room = new SendRoom();
    for (SenderSettings sender : senders) {
      var account = sender.httpV1().orElseThrow();
      HttpV1Channel channel =
          new HttpV1Channel(
              sender.senderId(),
              account,
              clients,
              AccessTokens.of(sender.senderId(), account, tls),
              settings.requestTimeout(),
              outcomes,
              counters,
              room,
              executor);
      channels.put(sender.senderId(), channel);
      SenderDispatch dispatch =
          new SenderDispatch(
              sender.senderId(),
              List.of(channel),
              queue,
              outcomes,
              downstream.sendTimeout(),
              room,
              threads);
      dispatches.add(dispatch);
      dispatch.start();
      if (sender.connections() == 0) {
        sweeps.add(
            scheduler.scheduleWithFixedDelay(
                () -> resendOrphans(sender.senderId()),
                0,
                ORPHAN_SWEEP.toMillis(),
                TimeUnit.MILLISECONDS));
      }
      LOG.info(
          "Sender "
              + sender.senderId()
              + " sends downstream through FCM HTTP v1, project "
              + account.projectId()
              + " at "
              + account.baseUrl()
              + ", at most "
              + account.maxInFlight()
              + " requests in flight");
    }
  }

  /** Requests of the sender waiting for FCM's answer now; empty for a sender on CCS. */
  public OptionalInt inFlight(String senderId) {
    HttpV1Channel channel = channels.get(senderId);
    return channel == null ? OptionalInt.empty() : OptionalInt.of(channel.inFlight());
  }

  /** The sender's bound on requests in flight; empty for a sender on CCS. */
  public OptionalInt maxInFlight(String senderId) {
    HttpV1Channel channel = channels.get(senderId);
    return channel == null ? OptionalInt.empty() : OptionalInt.of(channel.maxInFlight());
  }

  /** Whether every HTTP v1 sender's dispatcher is running. */
  public boolean isAlive() {
    return dispatches.stream().allMatch(SenderDispatch::isAlive);
  }

  /**
   * Stops taking messages, then gives the requests in flight until the drain timeout to be answered
   * and recorded, so that a message FCM accepted is not sent again after a restart.
   */
  void stopGracefully(
      @Observes @BeforeDestroyed(ApplicationScoped.class) Object applicationStopping) {
    long deadline = System.nanoTime() + ccs.drainTimeout().toNanos();
    stopSending();
    try {
      while (channels.values().stream().anyMatch(c -> c.inFlight() > 0)
          && System.nanoTime() - deadline < 0) {
        Thread.sleep(20);
      }
      outcomes.awaitSettled(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @PreDestroy
  void stop() {
    stopSending();
    if (executor != null) {
      executor.shutdown();
    }
  }

  private void stopSending() {
    sweeps.forEach(sweep -> sweep.cancel(false));
    sweeps.clear();
    SenderDispatch.stopAll(dispatches);
  }

  private void resendOrphans(String senderId) {
    try {
      orphans.resendOrphans(senderId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not adopt the orphans of sender " + senderId, e);
    }
  }

  /** TLS trusting the configured trust store, or the JVM's default trust (real FCM). */
  private SSLContext tls() {
    try {
      TrustManagerFactory trust =
          TrustStores.trustManagers(settings.trustStore(), settings.trustStorePassword());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidConfigurationException(
          List.of("uplink.http-v1.trust-store: cannot load it (" + e + ")"));
    }
  }
}
