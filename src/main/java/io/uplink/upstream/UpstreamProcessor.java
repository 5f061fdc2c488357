package io.uplink.upstream;

import io.uplink.api.RegistrationTokens;
import io.uplink.api.UpstreamMessage;
import io.uplink.ccs.AckKey;
import io.uplink.config.UpstreamSettings;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Latency;
import io.uplink.stats.RecentMessage;
import io.uplink.stats.RecentMessages;
import io.uplink.stats.Total;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes upstream messages through delivery, failure accounting and the ack: acks only after the
 * de-duplication record and the observers committed, acks duplicates again, leaves failed
 * deliveries unacked so that CCS redelivers them, and dead-letters a message whose delivery failed
 * {@code uplink.upstream.max-attempts} times, whether an observer threw or the commit failed. A
 * batch from a lane is first delivered in one transaction; when anything in it fails, all of it is
 * rolled back and each message is delivered again on its own, so that one failing message neither
 * holds back nor fails the others. Thread-safe; called from the delivery lanes.
 */
@ApplicationScoped
public class UpstreamProcessor {

  private static final Logger LOG = Logger.getLogger(UpstreamProcessor.class.getName());

  @Inject UpstreamDelivery delivery;
  @Inject FailureLedger failures;
  @Inject GatewayCounters counters;
  @Inject UpstreamSettings settings;
  @Inject RecentMessages recent;
  @Inject InDoubtCommits inDoubt;

  void process(List<QueuedMessage> batch) {
    if (batch.size() > 1) {
      Optional<List<DeliveryOutcome>> outcomes = attemptTogether(batch);
      if (outcomes.isPresent()) {
        for (int i = 0; i < batch.size(); i++) {
          complete(batch.get(i), outcomes.get().get(i));
        }
        return;
      }
    }
    for (QueuedMessage queued : batch) {
      complete(queued, attempt(queued.message()));
    }
  }

  private void complete(QueuedMessage queued, DeliveryOutcome attempted) {
    UpstreamMessage message = queued.message();
    Acknowledger acknowledger = queued.acknowledger();
    DeliveryOutcome outcome = settled(message, attempted);
    count(outcome, message.senderId());
    recent.add(
        new RecentMessage(
            Instant.now(),
            "upstream",
            message.senderId(),
            RegistrationTokens.abbreviate(message.from()),
            message.category(),
            message.messageId(),
            outcome.name()));
    AckKey key = new AckKey(message.from(), message.messageId());
    if (outcome == DeliveryOutcome.RETRY) {
      acknowledger.leftUnacked(key);
      return;
    }
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(outcome + " " + message);
    }
    if (acknowledger.ack(key)) {
      counters.count(Total.UPSTREAM_ACKED, message.senderId());
      counters.record(
          Latency.UPSTREAM_RECEIVE_TO_ACK, Duration.between(message.receivedAt(), Instant.now()));
    }
  }

  /**
   * The outcome, with an earlier attempt in doubt settled ({@link InDoubtCommits}): a duplicate
   * whose record that attempt wrote was delivered by it, and what runs after a commit runs now. An
   * attempt that failed again keeps the earlier one in doubt for the next.
   */
  private DeliveryOutcome settled(UpstreamMessage message, DeliveryOutcome outcome) {
    if (outcome == DeliveryOutcome.RETRY) {
      return outcome;
    }
    UpstreamKey key = UpstreamKey.of(message);
    Optional<Object> inDoubtRecord = inDoubt.take(key);
    if (inDoubtRecord.isEmpty() || outcome != DeliveryOutcome.DUPLICATE) {
      return outcome;
    }
    boolean committed;
    try {
      committed = delivery.recordedWith(message, inDoubtRecord.get());
    } catch (RuntimeException e) {
      inDoubt.putBack(key, inDoubtRecord.get());
      counters.count(Total.UPSTREAM_ERRORS, message.senderId());
      LOG.log(
          Level.WARNING,
          "Could not tell whether the earlier delivery of "
              + message
              + " committed; left unacked for CCS to redeliver",
          e);
      return DeliveryOutcome.RETRY;
    }
    if (!committed) {
      return outcome;
    }
    LOG.info(
        "The delivery of "
            + message
            + " counted as failed had committed (its commit's answer was lost); delivered");
    delivery.afterLateCommit(message);
    return DeliveryOutcome.DELIVERED_IN_DOUBT;
  }

  void ack(String senderId, AckKey key, Acknowledger acknowledger) {
    if (acknowledger.ack(key)) {
      counters.count(Total.UPSTREAM_ACKED, senderId);
    }
  }

  private void count(DeliveryOutcome outcome, String senderId) {
    switch (outcome) {
      case DELIVERED -> counters.count(Total.UPSTREAM_DELIVERED, senderId);
      case DELIVERED_IN_DOUBT -> {
        counters.count(Total.UPSTREAM_DELIVERED, senderId);
        counters.count(Total.UPSTREAM_IN_DOUBT_COMMITTED, senderId);
      }
      case DUPLICATE -> counters.count(Total.UPSTREAM_DUPLICATES, senderId);
      case DEAD_LETTERED -> counters.count(Total.UPSTREAM_DEAD_LETTERED, senderId);
      case RETRY -> {}
    }
  }

  private Optional<List<DeliveryOutcome>> attemptTogether(List<QueuedMessage> batch) {
    DeliveryAttempt attempt = new DeliveryAttempt();
    try {
      return Optional.of(
          delivery.deliverAll(batch.stream().map(QueuedMessage::message).toList(), attempt));
    } catch (ObserverFailedException e) {
      batch.stream()
          .map(queued -> queued.message().senderId())
          .distinct()
          .forEach(sender -> counters.count(Total.UPSTREAM_OBSERVER_FAILURES, sender));
      LOG.log(
          Level.FINE,
          "An observer failed in a batch of " + batch.size() + "; delivering each on its own",
          e.getCause());
      return Optional.empty();
    } catch (RuntimeException e) {
      inDoubt.remember(attempt.inDoubtAfterFailure());
      LOG.log(
          Level.FINE,
          "A batch of " + batch.size() + " messages failed; delivering each on its own",
          e);
      return Optional.empty();
    }
  }

  private DeliveryOutcome attempt(UpstreamMessage message) {
    DeliveryAttempt attempt = new DeliveryAttempt();
    try {
      return delivery.deliver(message, attempt);
    } catch (ObserverFailedException e) {
      counters.count(Total.UPSTREAM_OBSERVER_FAILURES, message.senderId());
      return recordFailure(message, e.getCause());
    } catch (RuntimeException e) {
      // Failed at commit (the observers' own database work, a copy racing on another instance) or
      // in the database: an attempt all the same, or a poison message would be redelivered forever.
      inDoubt.remember(attempt.inDoubtAfterFailure());
      counters.count(Total.UPSTREAM_ERRORS, message.senderId());
      return recordFailure(message, e);
    }
  }

  private DeliveryOutcome recordFailure(UpstreamMessage message, Throwable cause) {
    try {
      boolean parked = failures.recordFailure(message, cause, settings.maxAttempts());
      String error = FailureLedger.errorText(message, cause);
      if (parked) {
        LOG.warning(
            "Dead-lettered "
                + message
                + " after "
                + settings.maxAttempts()
                + " failed attempts; last: "
                + error);
      } else {
        LOG.warning(
            "Delivery of "
                + message
                + " failed ("
                + error
                + "); left unacked for CCS to redeliver");
      }
      LOG.log(Level.FINE, "The failure of " + message, cause);
      return parked ? DeliveryOutcome.DEAD_LETTERED : DeliveryOutcome.RETRY;
    } catch (RuntimeException e) {
      counters.count(Total.UPSTREAM_ERRORS, message.senderId());
      LOG.log(Level.WARNING, "Could not record the failed delivery of " + message, e);
      return DeliveryOutcome.RETRY;
    }
  }
}
