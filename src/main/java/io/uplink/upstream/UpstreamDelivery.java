package io.uplink.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;

/**
 * One delivery attempt of one upstream message, in one transaction: look up and write the
 * de-duplication record, then fire the CDI event to the application's synchronous observers. The
 * caller acks only after this method returned, i.e. after the commit. Thread-safe.
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
    try {
      events.select(new Category.Literal(message.category())).fire(message);
    } catch (RuntimeException e) {
      throw new ObserverFailedException(e);
    }
    return DeliveryOutcome.DELIVERED;
  }
}
