package io.uplink.monitoring;

import io.uplink.upstream.UpstreamCounters;
import io.uplink.upstream.UpstreamPipeline;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import javax.management.ObjectName;

/**
 * Publishes the upstream counters as {@code uplink:type=Upstream} for the application's lifetime.
 * Thread-safe.
 */
@ApplicationScoped
public class UpstreamStats {

  static final ObjectName NAME = MBeans.name("uplink:type=Upstream");

  @Inject UpstreamCounters counters;
  @Inject UpstreamPipeline pipeline;

  void publish(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    MBeans.register(new UpstreamView(counters, pipeline), NAME);
  }

  @PreDestroy
  void withdraw() {
    MBeans.unregister(NAME);
  }
}
