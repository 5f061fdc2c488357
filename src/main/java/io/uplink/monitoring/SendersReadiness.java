package io.uplink.monitoring;

import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import io.uplink.downstream.SenderPauses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while a sender's sends pause after an answer about the whole sender (CCS or FCM
 * unavailable, over quota, its credentials refused, no answer at all), with the reason per sender:
 * messages are still accepted into the outbox, but none goes out until the sender is served again.
 * Thread-safe.
 */
@Readiness
@ApplicationScoped
public class SendersReadiness implements HealthCheck {

  @Inject CcsSettings ccs;
  @Inject SenderPauses pauses;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("uplink-senders").up();
    for (SenderSettings sender : ccs.senders()) {
      Optional<String> reason = pauses.of(sender.senderId()).reason();
      response.withData(
          "sender " + sender.senderId(), reason.map(r -> "paused: " + r).orElse("sending"));
      if (reason.isPresent()) {
        response.down();
      }
    }
    return response.build();
  }
}
