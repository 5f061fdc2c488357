package io.uplink.upstream;

import io.uplink.ccs.Inbound;
import io.uplink.ccs.RegistrationTokens;
import io.uplink.config.UpstreamSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The entry point of upstream messages from the XMPP layer. {@link #submit} only queues, so the
 * connection's reader thread never waits on the database; container-managed lanes deliver and then
 * ack through the {@link Acknowledger} of the connection the message came in on. The contract
 * (queue now, ack after commit) lets the lanes batch commits later without changing callers.
 * Thread-safe; lives as long as the application.
 */
@ApplicationScoped
public class UpstreamPipeline {

  private static final Logger LOG = Logger.getLogger(UpstreamPipeline.class.getName());
  private static final long STOP_TIMEOUT_MILLIS = 10_000;

  @Inject UpstreamProcessor processor;
  @Inject UpstreamCounters counters;
  @Inject UpstreamSettings settings;

  @Resource ManagedThreadFactory threads;

  private final List<DeliveryLane> lanes = new ArrayList<>();

  @PostConstruct
  void start() {
    for (int i = 0; i < settings.workers(); i++) {
      DeliveryLane lane = new DeliveryLane("uplink-delivery-" + i, processor, threads);
      lanes.add(lane);
      lane.start();
    }
  }

  /** Queues a valid upstream message for delivery; returns at once. */
  public void submit(UpstreamMessage message, Acknowledger acknowledger) {
    counters.countReceived();
    lanes.get(laneOf(message)).submit(message, acknowledger);
  }

  /**
   * Counts and logs a stanza that broke the protocol or the rules, and acks it when it names a
   * sender and an id, so that CCS stops redelivering a message that can never be accepted. It is
   * never fired.
   */
  public void reject(String senderId, Inbound.Rejected rejected, Acknowledger acknowledger) {
    counters.countReceived();
    counters.countRejected(rejected.reason());
    LOG.warning(
        "Rejected an upstream stanza for sender "
            + senderId
            + ": "
            + rejected.reason()
            + " ("
            + rejected.detail()
            + ")"
            + rejected
                .ackKey()
                .map(
                    key ->
                        ", from "
                            + RegistrationTokens.abbreviate(key.to())
                            + " message_id "
                            + key.messageId()
                            + "; acked")
                .orElse("; no id to ack"));
    rejected.ackKey().ifPresent(key -> processor.ack(key, acknowledger));
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

  @PreDestroy
  void stop() {
    for (DeliveryLane lane : lanes) {
      try {
        lane.stop(STOP_TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
