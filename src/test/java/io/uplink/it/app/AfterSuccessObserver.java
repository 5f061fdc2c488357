package io.uplink.it.app;

import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts, in memory, how often each upstream message reached an {@code AFTER_SUCCESS} observer and
 * an {@code @ObservesAsync} observer: the kinds of observer an application uses for side effects
 * outside the database (a push, an e-mail), which must run once per committed delivery and never
 * for a delivery that rolled back.
 */
@ApplicationScoped
public class AfterSuccessObserver {

  private final Map<String, Integer> runs = new ConcurrentHashMap<>();
  private final Map<String, Integer> asyncRuns = new ConcurrentHashMap<>();

  void on(@Observes(during = TransactionPhase.AFTER_SUCCESS) UpstreamMessage message) {
    runs.merge(message.messageId(), 1, Integer::sum);
  }

  /** Counts the run, then fails for a message whose data asks for it with {@code async=fail}. */
  void onAsync(@ObservesAsync UpstreamMessage message) {
    asyncRuns.merge(message.messageId(), 1, Integer::sum);
    if ("fail".equals(message.data().get("async"))) {
      throw new IllegalStateException("asynchronous observer failure requested");
    }
  }

  Map<String, Integer> runs() {
    return Map.copyOf(runs);
  }

  Map<String, Integer> asyncRuns() {
    return Map.copyOf(asyncRuns);
  }
}
