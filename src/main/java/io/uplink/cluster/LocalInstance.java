package io.uplink.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * This running instance, as the other instances and the outbox know it: a new id for every start,
 * so that a restarted instance never mistakes the rows of its previous life, which may have died
 * with messages in flight, for its own. Immutable; one per application.
 */
@ApplicationScoped
public class LocalInstance {

  /** Longest instance id stored, in the outbox and the lease tables. */
  public static final int MAX_ID_LENGTH = 64;

  private final String id = UUID.randomUUID().toString();
  private final String description =
      System.getenv().getOrDefault("HOSTNAME", "localhost")
          + " pid "
          + ProcessHandle.current().pid();

  public String id() {
    return id;
  }

  /** Host and process, for an operator reading the instance table. */
  public String description() {
    return description;
  }
}
