package io.uplink.stats;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last {@value #CAPACITY} messages that went through the gateway in either direction, newest
 * first, for the dashboard. A bounded ring, so it costs the same at any load. Thread-safe.
 */
@ApplicationScoped
public class RecentMessages {

  static final int CAPACITY = 50;

  private final Deque<RecentMessage> latest = new ArrayDeque<>(CAPACITY);

  public synchronized void add(RecentMessage message) {
    if (latest.size() == CAPACITY) {
      latest.removeLast();
    }
    latest.addFirst(message);
  }

  /** Newest first. */
  public synchronized List<RecentMessage> latest() {
    return new ArrayList<>(latest);
  }
}
