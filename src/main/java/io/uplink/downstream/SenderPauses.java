package io.uplink.downstream;

import io.uplink.config.DownstreamSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link SenderPause} of each sender ID, shared by its dispatcher, the answers that pause it or
 * end its pause, and monitoring. Thread-safe.
 */
@ApplicationScoped
public class SenderPauses {

  @Inject DownstreamSettings settings;

  private final Map<String, SenderPause> pauses = new ConcurrentHashMap<>();

  /** The sender's pause, created on first use. */
  public SenderPause of(String senderId) {
    return pauses.computeIfAbsent(senderId, id -> new SenderPause(id, settings, System::nanoTime));
  }
}
