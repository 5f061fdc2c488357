package io.uplink.it.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * Mounts the test probe under {@code /uplink/probe}, with exactly its own resources (scanning would
 * mount the admin API's resources here too).
 */
@ApplicationPath("probe")
public class ProbeApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(ProbeResource.class, DownstreamProbe.class);
  }
}
