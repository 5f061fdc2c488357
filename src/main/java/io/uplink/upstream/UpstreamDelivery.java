package io.uplink.upstream;

import io.uplink.api.Category;
import io.uplink.api.LogText;
import io.uplink.api.UpstreamMessage;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Total;
import io.uplink.transactions.TransactionEnd;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One delivery attempt of upstream messages, in one transaction: write the de-duplication record of
 * each message that has none yet, then fire the CDI event to the application's synchronous
 * observers ({@code AFTER_SUCCESS} observers run when the transaction commits). The caller acks
 * only after a method returned, i.e. after the commit. {@code @ObservesAsync} observers are
 * notified once the transaction committed, never for an attempt that rolled back; their failures
 * are counted and logged. Thread-safe.
 */
@ApplicationScoped
public class UpstreamDelivery {

  private static final Logger LOG = Logger.getLogger(UpstreamDelivery.class.getName());

  @Inject DedupRepository dedup;
  @Inject Event<UpstreamMessage> events;
  @Inject AsyncObserverScan asyncObservers;
  @Inject AsyncObserverThreads asyncThreads;
  @Inject GatewayCounters counters;

  @Resource TransactionSynchronizationRegistry transactions;

  private final Clock clock = Clock.systemUTC();

  /**
   * Delivers the message unless it was delivered before.
   *
   * @throws ObserverFailedException when an observer threw; the transaction is rolled back
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public DeliveryOutcome deliver(UpstreamMessage message) {
    return deliverHere(message);
  }

  /**
   * The same in the caller's transaction: an operator's replay of a dead letter, which removes the
   * dead letter in the same transaction.
   *
   * @throws ObserverFailedException when an observer threw; the caller's transaction is to roll
   *     back
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public DeliveryOutcome deliverHere(UpstreamMessage message) {
    if (!dedup.recordIfNew(message, clock.instant())) {
      return DeliveryOutcome.DUPLICATE;
    }
    fire(message);
    notifyAsyncOnceCommitted(List.of(message));
    return DeliveryOutcome.DELIVERED;
  }

  /**
   * Delivers each message, in order, unless it was delivered before (a copy earlier in the same
   * list counts); all of them or, when anything fails, none of them.
   *
   * @return the outcome of each message, in the order given
   * @throws ObserverFailedException when an observer threw; the transaction is rolled back
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<DeliveryOutcome> deliverAll(List<UpstreamMessage> messages) {
    Set<UpstreamKey> recorded = dedup.recordNew(messages, clock.instant());
    List<DeliveryOutcome> outcomes = new ArrayList<>(messages.size());
    List<UpstreamMessage> delivered = new ArrayList<>(messages.size());
    for (UpstreamMessage message : messages) {
      if (recorded.remove(UpstreamKey.of(message))) {
        fire(message);
        delivered.add(message);
        outcomes.add(DeliveryOutcome.DELIVERED);
      } else {
        outcomes.add(DeliveryOutcome.DUPLICATE);
      }
    }
    notifyAsyncOnceCommitted(delivered);
    return outcomes;
  }

  private void notifyAsyncOnceCommitted(List<UpstreamMessage> delivered) {
    if (asyncObservers.found() && !delivered.isEmpty()) {
      TransactionEnd.register(transactions, () -> delivered.forEach(this::fireAsync), () -> {});
    }
  }

  /** Notifies the asynchronous observers; a failure is counted and logged, not retried. */
  private void fireAsync(UpstreamMessage message) {
    events
        .select(new Category.Literal(message.category()))
        .fireAsync(message, asyncThreads.options())
        .whenComplete(
            (fired, failure) -> {
              if (failure != null) {
                counters.count(Total.UPSTREAM_ASYNC_OBSERVER_FAILURES, message.senderId());
                LOG.warning(
                    "An @ObservesAsync observer failed on upstream message "
                        + LogText.escape(message.messageId())
                        + " (not retried: asynchronous observers get at most once): "
                        + FailureLedger.errorText(message, failure));
              }
            });
  }

  private void fire(UpstreamMessage message) {
    try {
      events.select(new Category.Literal(message.category())).fire(message);
    } catch (RuntimeException e) {
      throw new ObserverFailedException(e);
    }
  }
}
