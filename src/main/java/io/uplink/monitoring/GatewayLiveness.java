package io.uplink.monitoring;

import io.uplink.httpv1.HttpV1Transport;
import io.uplink.upstream.UpstreamPipeline;
import io.uplink.xmpp.ConnectionPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the gateway's own threads run: the upstream delivery lanes and the downstream
 * dispatchers. Lost CCS connections do not make it dead (they reconnect by themselves); they make
 * it not ready. Thread-safe.
 */
@Liveness
@ApplicationScoped
public class GatewayLiveness implements HealthCheck {

  @Inject UpstreamPipeline pipeline;
  @Inject ConnectionPool pool;
  @Inject HttpV1Transport httpV1;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("uplink-threads")
        .status(pipeline.isAlive() && pool.isAlive() && httpV1.isAlive())
        .withData("delivery lanes", pipeline.isAlive() ? "running" : "stopped")
        .withData(
            "downstream dispatchers", pool.isAlive() && httpV1.isAlive() ? "running" : "stopped")
        .build();
  }
}
