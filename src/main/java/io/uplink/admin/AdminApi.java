package io.uplink.admin;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** Mounts the admin API at {@code /uplink/api}, with exactly its own resources. */
@ApplicationPath("api")
public class AdminApi extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        MessagesResource.class,
        MessageBatchResource.class,
        StatusResource.class,
        DeadLettersResource.class,
        InvalidRequestMapper.class,
        BacklogFullMapper.class,
        CrossSiteRequestFilter.class);
  }
}
