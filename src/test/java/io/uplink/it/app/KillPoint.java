package io.uplink.it.app;

import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Ends the server's JVM at a named moment, so that a crash test reaches it on purpose instead of by
 * chance: an upstream message whose data has {@code halt=after-commit} halts the JVM (no shutdown
 * hook, no graceful stop, like SIGKILL) as soon as its delivery transaction has committed, before
 * the gateway acks it. Whatever that transaction wrote to the outbox is committed then, and usually
 * already handed to a connection (the outbox hears of the commit first), its answer not recorded.
 */
@ApplicationScoped
public class KillPoint {

  /** The exit status of a halted server, as after SIGKILL. */
  public static final int HALTED = 137;

  void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) UpstreamMessage message) {
    if ("after-commit".equals(message.data().get("halt"))) {
      Runtime.getRuntime().halt(HALTED);
    }
  }
}
