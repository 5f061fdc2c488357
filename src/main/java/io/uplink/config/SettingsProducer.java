package io.uplink.config;

import io.uplink.ccs.CcsCodec;
import io.uplink.ccs.UpstreamLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
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

  @Produces
  @Singleton
  DownstreamSettings downstreamSettings() {
    return reader().downstream();
  }

  @Produces
  @Singleton
  HttpV1Settings httpV1Settings() {
    return reader().httpV1();
  }

  @Produces
  @Singleton
  ClusterSettings clusterSettings() {
    return reader().cluster();
  }

  @Produces
  @Singleton
  RetentionSettings retentionSettings() {
    return reader().retention();
  }

  /** One codec, configured with the upstream limits, shared by both directions. */
  @Produces
  @Singleton
  CcsCodec codec(UpstreamSettings upstream) {
    return new CcsCodec(
        new UpstreamLimits(upstream.maxStanzaBytes(), upstream.allowedCategories()));
  }

  void closeCodec(@Disposes CcsCodec codec) throws Exception {
    codec.close();
  }

  /**
   * The application's configuration, by its own class loader: a health check polled while the
   * application deploys runs on a server thread whose context class loader is not the
   * application's, and would read none of its settings.
   */
  private static SettingsReader reader() {
    Config config = ConfigProvider.getConfig(SettingsProducer.class.getClassLoader());
    return new SettingsReader(key -> config.getOptionalValue(key, String.class));
  }
}
