package io.uplink.monitoring;

import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import io.uplink.xmpp.ConnectionPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while every configured sender with connections has at least one authenticated: before
 * that, upstream messages cannot arrive and downstream sends over CCS would only queue (a send-only
 * HTTP v1 sender has none to wait for). Reports the connected count per sender. Thread-safe.
 */
@Readiness
@ApplicationScoped
public class ConnectionsReadiness implements HealthCheck {

  @Inject CcsSettings ccs;
  @Inject ConnectionPool pool;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("uplink-ccs-connections").up();
    for (SenderSettings sender : ccs.senders()) {
      if (sender.connections() == 0) {
        continue;
      }
      int connected = pool.connectedCount(sender.senderId());
      response.withData("sender " + sender.senderId(), connected + "/" + sender.connections());
      if (connected == 0) {
        response.down();
      }
    }
    return response.build();
  }
}
