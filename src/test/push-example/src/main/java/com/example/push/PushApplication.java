package com.example.push;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** The example's own REST API at {@code /uplink/app}, beside Uplink's admin API at {@code /api}. */
@ApplicationPath("app")
public class PushApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(CommentsResource.class);
  }
}
