package io.uplink.it.bench;

import io.uplink.api.Category;
import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The benchmark's observer: does nothing, or blocks for {@code data.sleep} milliseconds, like an
 * observer that calls a slow service. Runs in the delivery transaction like any observer.
 */
@ApplicationScoped
public class BenchObserver {

  void on(@Observes @Category("com.example.bench") UpstreamMessage message) {
    long sleep = Long.parseLong(message.data().getOrDefault("sleep", "0"));
    if (sleep > 0) {
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
