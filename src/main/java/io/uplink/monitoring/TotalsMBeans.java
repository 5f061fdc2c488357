package io.uplink.monitoring;

import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import io.uplink.downstream.DownstreamQueue;
import io.uplink.downstream.SenderPauses;
import io.uplink.httpv1.HttpV1Transport;
import io.uplink.stats.GatewayCounters;
import io.uplink.upstream.UpstreamPipeline;
import io.uplink.xmpp.ConnectionPool;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import javax.management.ObjectName;

/**
 * Publishes the upstream and downstream totals as {@code uplink:type=Upstream} and {@code
 * uplink:type=Downstream}, and each sender's pool as {@code uplink:type=Sender,id=<sender id>}, for
 * the application's lifetime. Thread-safe.
 */
@ApplicationScoped
public class TotalsMBeans {

  static final ObjectName UPSTREAM = MBeans.name("uplink:type=Upstream");
  static final ObjectName DOWNSTREAM = MBeans.name("uplink:type=Downstream");

  @Inject GatewayCounters counters;
  @Inject UpstreamPipeline pipeline;
  @Inject CcsSettings ccs;
  @Inject ConnectionPool pool;
  @Inject HttpV1Transport httpV1;
  @Inject SenderPauses pauses;
  @Inject DownstreamQueue queue;

  void publish(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    MBeans.register(new UpstreamView(counters, pipeline), UPSTREAM);
    MBeans.register(new DownstreamView(counters), DOWNSTREAM);
    for (SenderSettings sender : ccs.senders()) {
      MBeans.register(
          new SenderView(sender, pool, httpV1, pauses.of(sender.senderId()), queue, counters),
          senderName(sender));
    }
  }

  @PreDestroy
  void withdraw() {
    MBeans.unregister(UPSTREAM);
    MBeans.unregister(DOWNSTREAM);
    ccs.senders().forEach(sender -> MBeans.unregister(senderName(sender)));
  }

  private static ObjectName senderName(SenderSettings sender) {
    return MBeans.name("uplink:type=Sender,id=" + sender.senderId());
  }
}
