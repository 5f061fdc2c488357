package io.uplink.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * One default-configured {@link Jsonb} for the application's own JSON (the admin API, dead
 * letters); the CCS wire format has its own strict instance in {@link io.uplink.ccs.CcsCodec}.
 * Jsonb is thread-safe; this one is closed with the application.
 */
@ApplicationScoped
public class JsonbProducer {

  @Produces
  @Singleton
  Jsonb jsonb() {
    return JsonbBuilder.create();
  }

  void close(@Disposes Jsonb jsonb) throws Exception {
    jsonb.close();
  }
}
