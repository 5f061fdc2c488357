package io.uplink.it.app;

import io.uplink.downstream.CanonicalTokenReceived;
import io.uplink.downstream.DeliveryReceipt;
import io.uplink.downstream.TokenInvalidated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the downstream events an application observes, for the probe; a receipt observer failure
 * can be requested by the message id.
 */
@ApplicationScoped
public class DownstreamEventRecorder {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

  void on(@Observes TokenInvalidated event) {
    events.add("invalidated " + event.token() + " " + event.error());
  }

  void on(@Observes CanonicalTokenReceived event) {
    events.add("canonical " + event.oldToken() + " " + event.canonicalToken());
  }

  /** A receipt for a message whose id starts with {@code receipt-fail} fails its first attempt. */
  void on(@Observes DeliveryReceipt event) {
    if (event.originalMessageId().startsWith("receipt-fail")
        && failedOnce.add(event.originalMessageId())) {
      throw new IllegalStateException("receipt observer failure requested");
    }
    events.add("receipt " + event.originalMessageId() + " " + event.token());
  }

  List<String> events() {
    return List.copyOf(events);
  }
}
