package io.uplink.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One delivery attempt of upstream messages, in one transaction: for each message, look up and
 * write the de-duplication record, then fire the CDI event to the application's synchronous
 * observers. The caller acks only after a method returned, i.e. after the commit. Thread-safe.
 */
@ApplicationScoped
public class UpstreamDelivery {

  @Inject DedupRepository dedup;
  @Inject Event<UpstreamMessage> events;

  private final Clock clock = Clock.systemUTC();

  /**
   * Delivers the message unless it was delivered before.
   *
   * @throws ObserverFailedException when an observer threw; the transaction is rolled back
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public DeliveryOutcome deliver(UpstreamMessage message) {
    if (dedup.contains(message)) {
      return DeliveryOutcome.DUPLICATE;
    }
    dedup.remember(message, clock.instant());
    fire(message);
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
    Set<DedupKey> inThisBatch = new HashSet<>();
    Instant now = clock.instant();
    List<DeliveryOutcome> outcomes = new ArrayList<>(messages.size());
    for (UpstreamMessage message : messages) {
      if (!inThisBatch.add(DedupKey.of(message)) || dedup.contains(message)) {
        outcomes.add(DeliveryOutcome.DUPLICATE);
      } else {
        dedup.record(message, now);
        fire(message);
        outcomes.add(DeliveryOutcome.DELIVERED);
      }
    }
    return outcomes;
  }

  private void fire(UpstreamMessage message) {
    try {
      events.select(new Category.Literal(message.category())).fire(message);
    } catch (RuntimeException e) {
      throw new ObserverFailedException(e);
    }
  }
}
