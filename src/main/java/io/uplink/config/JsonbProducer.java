package io.uplink.config;

import io.uplink.ccs.DownstreamJsonBinding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

/**
 * One {@link Jsonb} for the application's own JSON (the admin API, dead letters), which reads and
 * writes a downstream message as CCS does ({@link DownstreamJsonBinding}); the CCS wire format has
 * its own strict instance in {@link io.uplink.ccs.CcsCodec}. Jsonb is thread-safe; this one is
 * closed with the application.
 */
@ApplicationScoped
public class JsonbProducer {

  @Produces
  @Singleton
  Jsonb jsonb() {
    DownstreamJsonBinding downstream = new DownstreamJsonBinding();
    return JsonbBuilder.create(
        new JsonbConfig().withSerializers(downstream).withDeserializers(downstream));
  }

  void close(@Disposes Jsonb jsonb) throws Exception {
    jsonb.close();
  }
}
