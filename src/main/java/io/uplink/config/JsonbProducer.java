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
 * One {@link Jsonb} for the application's own JSON (the admin API, dead letters), which reads a
 * downstream message from CCS's JSON ({@link DownstreamJsonBinding}); the CCS wire format has its
 * own strict instance in {@link io.uplink.ccs.CcsCodec}. Jsonb is thread-safe; this one is closed
 * with the application.
 */
@ApplicationScoped
public class JsonbProducer {

  @Produces
  @Singleton
  Jsonb jsonb() {
    return JsonbBuilder.create(new JsonbConfig().withDeserializers(new DownstreamJsonBinding()));
  }

  void close(@Disposes Jsonb jsonb) throws Exception {
    jsonb.close();
  }
}
