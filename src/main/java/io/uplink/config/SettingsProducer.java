package io.uplink.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes the validated settings injectable. Each is read once per deployment (records cannot be
 * proxied, hence {@code @Singleton}); the first bean that needs them at start-up (the connection
 * pool) makes a bad configuration fail the deployment.
 */
@ApplicationScoped
public class SettingsProducer {

  @Produces
  @Singleton
  CcsSettings ccsSettings() {
    return reader().ccs();
  }

  @Produces
  @Singleton
  UpstreamSettings upstreamSettings() {
    return reader().upstream();
  }

  private static SettingsReader reader() {
    Config config = ConfigProvider.getConfig();
    return new SettingsReader(key -> config.getOptionalValue(key, String.class));
  }
}
