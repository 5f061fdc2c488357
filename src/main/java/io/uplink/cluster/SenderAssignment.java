package io.uplink.cluster;

import java.util.Set;

/**
 * A CDI event, fired at start and after every lease round: which connections (by index) of a sender
 * this instance is to keep open now. The connection pool opens and stands by connections to match;
 * an instance with connections takes over the messages that instances no longer alive left
 * unanswered in the outbox. Immutable.
 */
public record SenderAssignment(String senderId, Set<Integer> connections) {

  public SenderAssignment {
    connections = Set.copyOf(connections);
  }
}
