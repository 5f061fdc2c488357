package io.uplink.it.bench;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** Mounts {@link BenchResource} at {@code /uplink/bench}. */
@ApplicationPath("bench")
public class BenchApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(BenchResource.class);
  }
}
