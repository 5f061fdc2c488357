package io.uplink.upstream;

import io.uplink.api.LogText;
import io.uplink.api.RegistrationTokens;
import io.uplink.api.UpstreamMessage;
import io.uplink.ccs.AckKey;
import io.uplink.ccs.Inbound;
import io.uplink.cluster.LeaseFence;
import io.uplink.config.UpstreamSettings;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.RecentMessage;
import io.uplink.stats.RecentMessages;
import io.uplink.stats.Total;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The entry point of upstream messages from the XMPP layer. {@link #submit} only queues, so the
 * connection's reader thread never waits on the database; container-managed lanes deliver and then
 * ack through the {@link Acknowledger} of the connection the message came in on. The contract
 * (queue now, ack after commit) lets the lanes commit what has queued up together. The lanes hold
 * their messages, unacked, while an operator paused delivery and while this clustered instance's
 * heartbeat is not current ({@link LeaseFence}: it may have been taken for dead), except during a
 * graceful stop, when the lease rounds have ended and the lanes finish what they hold. Thread-safe;
 * lives as long as the application.
 */
@ApplicationScoped
public class UpstreamPipeline {

  private static final Logger LOG = Logger.getLogger(UpstreamPipeline.class.getName());
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  @Inject UpstreamProcessor processor;
  @Inject GatewayCounters counters;
  @Inject UpstreamSettings settings;
  @Inject RecentMessages recent;
  @Inject LeaseFence fence;

  @Resource ManagedThreadFactory threads;

  private final List<DeliveryLane> lanes = new ArrayList<>();
  private volatile boolean paused;
  private volatile boolean accepting = true;

  /**
   * Starts the lanes when the application starts, before the connection pool opens (a lower
   * priority runs first), and on a container thread: the lanes are managed threads, which only a
   * thread of the application may create, not a JMX or Smack thread that happened to call first.
   */
  void start(
      @Observes
          @Priority(Interceptor.Priority.PLATFORM_BEFORE)
          @Initialized(ApplicationScoped.class)
          Object applicationStarted) {
    for (int i = 0; i < settings.workers(); i++) {
      DeliveryLane lane =
          new DeliveryLane(
              "uplink-delivery-" + i,
              processor,
              settings.batchSize(),
              settings.laneCapacity(),
              threads,
              () -> paused || (accepting && !fence.current()));
      lanes.add(lane);
      lane.start();
    }
  }

  /**
   * Queues a valid upstream message for delivery; returns at once. A copy of a message still
   * queued, or a message its lane has no room for, is counted and left unacked for CCS to
   * redeliver.
   */
  public void submit(UpstreamMessage message, Acknowledger acknowledger) {
    counters.count(Total.UPSTREAM_RECEIVED, message.senderId());
    if (!accepting) {
      LOG.fine(() -> "Stopping: left " + message + " unacked for CCS to redeliver");
      acknowledger.leftUnacked(new AckKey(message.from(), message.messageId()));
      return;
    }
    if (!lanes.get(laneOf(message)).submit(message, acknowledger)) {
      counters.count(Total.UPSTREAM_NOT_QUEUED, message.senderId());
      acknowledger.leftUnacked(new AckKey(message.from(), message.messageId()));
    }
  }

  /**
   * Counts and logs a stanza that broke the protocol or the rules, and acks it when it names a
   * sender and an id, so that CCS stops redelivering a message that can never be accepted. It is
   * never fired.
   */
  public void reject(String senderId, Inbound.Rejected rejected, Acknowledger acknowledger) {
    counters.count(Total.UPSTREAM_RECEIVED, senderId);
    counters.count(Total.UPSTREAM_REJECTED, senderId, rejected.reason().name());
    LOG.warning(
        "Rejected an upstream stanza for sender "
            + senderId
            + ": "
            + rejected.reason()
            + " ("
            + LogText.escape(rejected.detail())
            + ")"
            + rejected
                .ackKey()
                .map(
                    key ->
                        ", from "
                            + RegistrationTokens.abbreviate(key.to())
                            + " message_id "
                            + LogText.escape(key.messageId())
                            + "; acked")
                .orElse("; no id to ack"));
    recent.add(
        new RecentMessage(
            Instant.now(),
            "upstream",
            senderId,
            rejected.ackKey().map(key -> RegistrationTokens.abbreviate(key.to())).orElse(null),
            null,
            rejected.ackKey().map(AckKey::messageId).orElse(null),
            "REJECTED " + rejected.reason()));
    rejected.ackKey().ifPresent(key -> processor.ack(senderId, key, acknowledger));
  }

  /**
   * Holds every message in its lane, unacked, until {@link #resume}: for an operator who needs the
   * application's side (its database, a downstream system) quiet for a while. CCS stops sending to
   * a connection with too many unacked messages (ccs-protocol.md §4.2) and redelivers them later,
   * which de-duplication absorbs.
   */
  public void pause() {
    paused = true;
    LOG.info("Upstream delivery paused; messages wait unacked in " + lanes.size() + " lanes");
  }

  public void resume() {
    paused = false;
    LOG.info("Upstream delivery resumed with " + backlog() + " message(s) waiting");
  }

  public boolean isPaused() {
    return paused;
  }

  /**
   * The first step of a graceful stop: takes no new messages (those that still arrive stay unacked
   * for CCS to redeliver), delivers and acks what the lanes hold, and stops them, all by {@code
   * deadlineNanos} ({@link System#nanoTime()}). Acks still go out, so the connections must stay
   * open until this returns.
   */
  public void finish(long deadlineNanos) {
    accepting = false;
    int left = 0;
    for (DeliveryLane lane : lanes) {
      try {
        if (!lane.finish(deadlineNanos)) {
          left += lane.backlog();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    LOG.info(
        left == 0
            ? "Upstream delivery stopped with nothing left in flight"
            : "Upstream delivery stopped; " + left + " message(s) left unacked for redelivery");
  }

  /** Whether every delivery lane's thread is running. */
  public boolean isAlive() {
    return !lanes.isEmpty() && lanes.stream().allMatch(DeliveryLane::isAlive);
  }

  /** Messages queued and not yet delivered, over all lanes. */
  public int backlog() {
    return lanes.stream().mapToInt(DeliveryLane::backlog).sum();
  }

  private int laneOf(UpstreamMessage message) {
    return Math.floorMod(Objects.hash(message.senderId(), message.from()), lanes.size());
  }

  /** A stop without the pool's graceful sequence (a failed deployment) still ends the lanes. */
  @PreDestroy
  void stop() {
    if (accepting) {
      finish(System.nanoTime() + STOP_TIMEOUT.toNanos());
    }
  }
}
