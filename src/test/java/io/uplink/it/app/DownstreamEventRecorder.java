package io.uplink.it.app;

import io.uplink.api.CanonicalTokenReceived;
import io.uplink.api.DeliveryReceipt;
import io.uplink.api.TokenInvalidated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the downstream events an application observes, for the probe; a receipt observer failure
 * can be requested by the message id, a token event or receipt failure by an {@link
 * EventFailureSwitch}.
 */
@ApplicationScoped
public class DownstreamEventRecorder {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

  /** Fails while an {@link EventFailureSwitch} names the token. */
  void on(@Observes TokenInvalidated event) {
    if (entityManager.find(EventFailureSwitch.class, event.token()) != null) {
      throw new IllegalStateException("token event failure requested");
    }
    events.add("invalidated " + event.token() + " " + event.error());
  }

  void on(@Observes CanonicalTokenReceived event) {
    events.add("canonical " + event.oldToken() + " " + event.canonicalToken());
  }

  /**
   * A receipt for a message whose id starts with {@code receipt-fail} fails its first attempt; one
   * for a token an {@link EventFailureSwitch} names fails while it does.
   */
  void on(@Observes DeliveryReceipt event) {
    if (event.originalMessageId().startsWith("receipt-fail")
            && failedOnce.add(event.originalMessageId())
        || entityManager.find(EventFailureSwitch.class, event.token()) != null) {
      throw new IllegalStateException("receipt observer failure requested");
    }
    events.add("receipt " + event.originalMessageId() + " " + event.token());
  }

  List<String> events() {
    return List.copyOf(events);
  }
}
