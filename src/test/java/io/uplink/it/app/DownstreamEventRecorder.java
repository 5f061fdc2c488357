package io.uplink.it.app;

import io.uplink.downstream.CanonicalTokenReceived;
import io.uplink.downstream.DeliveryReceipt;
import io.uplink.downstream.TokenInvalidated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the downstream events an application observes, for the probe. */
@ApplicationScoped
public class DownstreamEventRecorder {

  private final List<String> events = new CopyOnWriteArrayList<>();

  void on(@Observes TokenInvalidated event) {
    events.add("invalidated " + event.token() + " " + event.error());
  }

  void on(@Observes CanonicalTokenReceived event) {
    events.add("canonical " + event.oldToken() + " " + event.canonicalToken());
  }

  void on(@Observes DeliveryReceipt event) {
    events.add("receipt " + event.originalMessageId() + " " + event.token());
  }

  List<String> events() {
    return List.copyOf(events);
  }
}
