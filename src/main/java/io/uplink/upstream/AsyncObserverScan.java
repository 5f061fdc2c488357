package io.uplink.upstream;

import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;

/**
 * Finds out at deployment whether the application observes {@link UpstreamMessage} with
 * {@code @ObservesAsync}, so that a delivery arranges the asynchronous notification after its
 * commit only when someone listens, and the hot path pays nothing otherwise. A CDI portable
 * extension; read-only once the deployment is done.
 */
public class AsyncObserverScan implements Extension {

  private volatile boolean found;

  void observerFound(@Observes ProcessObserverMethod<UpstreamMessage, ?> observer) {
    if (observer.getObserverMethod().isAsync()) {
      found = true;
    }
  }

  /** Whether any {@code @ObservesAsync UpstreamMessage} observer exists. */
  boolean found() {
    return found;
  }
}
