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
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * One delivery attempt of upstream messages, in one transaction: write the de-duplication record of
 * each message that has none yet, then fire the CDI event to the application's synchronous
 * observers ({@code AFTER_SUCCESS} observers run when the transaction commits). The caller acks
 * only after a method returned, i.e. after the commit. {@code @ObservesAsync} observers are
 * notified once the transaction committed, never for an attempt that rolled back; their failures
 * are counted and logged. For an attempt whose commit's answer was lost, {@link #recordedWith}
 * tells later whether it committed and {@link #afterLateCommit} runs what its commit would have
 * run. Thread-safe.
 */
@ApplicationScoped
public class UpstreamDelivery {

  private static final Logger LOG = Logger.getLogger(UpstreamDelivery.class.getName());

  @Inject DedupRepository dedup;
  @Inject Event<UpstreamMessage> events;
  @Inject AsyncObserverScan asyncObservers;
  @Inject AsyncObserverThreads asyncThreads;
  @Inject GatewayCounters counters;
  @Inject BeanManager beanManager;

  @Resource TransactionSynchronizationRegistry transactions;

  private final Clock clock = Clock.systemUTC();

  /**
   * Delivers the message unless it was delivered before.
   *
   * @param attempt told what the attempt recorded, and when its work is done
   * @throws ObserverFailedException when an observer threw; the transaction is rolled back
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public DeliveryOutcome deliver(UpstreamMessage message, DeliveryAttempt attempt) {
    return deliverAll(List.of(message), attempt).get(0);
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
   * @param attempt told what the attempt recorded, and when its work is done
   * @return the outcome of each message, in the order given
   * @throws ObserverFailedException when an observer threw; the transaction is rolled back
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<DeliveryOutcome> deliverAll(List<UpstreamMessage> messages, DeliveryAttempt attempt) {
    Map<UpstreamKey, Object> recorded = dedup.recordNew(messages, clock.instant());
    attempt.recorded(recorded);
    List<DeliveryOutcome> outcomes = new ArrayList<>(messages.size());
    List<UpstreamMessage> delivered = new ArrayList<>(messages.size());
    for (UpstreamMessage message : messages) {
      if (recorded.remove(UpstreamKey.of(message)) != null) {
        fire(message);
        delivered.add(message);
        outcomes.add(DeliveryOutcome.DELIVERED);
      } else {
        outcomes.add(DeliveryOutcome.DUPLICATE);
      }
    }
    notifyAsyncOnceCommitted(delivered);
    attempt.workDone();
    return outcomes;
  }

  /**
   * Whether the message's de-duplication record is the one with this id: written by the attempt
   * that wrote that id, whose commit therefore happened.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean recordedWith(UpstreamMessage message, Object recordId) {
    return dedup.recordIdOf(message).filter(recordId::equals).isPresent();
  }

  /**
   * Runs what runs once a delivery has committed, for a delivery found committed only later ({@link
   * InDoubtCommits}): the {@code AFTER_SUCCESS} observers, then the {@code @ObservesAsync} ones.
   * Called outside any transaction. An {@code AFTER_SUCCESS} observer's failure is logged, as the
   * container logs it after a commit. Such an observer is called directly, so an {@code
   * EventMetadata} it injects is empty ({@code null}).
   */
  public void afterLateCommit(UpstreamMessage message) {
    beanManager
        .resolveObserverMethods(
            message, Default.Literal.INSTANCE, new Category.Literal(message.category()))
        .stream()
        .filter(observer -> !observer.isAsync())
        .filter(observer -> observer.getTransactionPhase() == TransactionPhase.AFTER_SUCCESS)
        .sorted(Comparator.comparingInt(ObserverMethod::getPriority))
        .forEach(
            observer -> {
              try {
                observer.notify(message);
              } catch (RuntimeException e) {
                LOG.warning(
                    "An AFTER_SUCCESS observer failed on upstream message "
                        + LogText.escape(message.messageId())
                        + ", delivered by a commit whose answer was lost: "
                        + FailureLedger.errorText(message, e));
              }
            });
    if (asyncObservers.found()) {
      fireAsync(message);
    }
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
