package io.uplink.ccs;

import java.util.Map;
import java.util.Optional;

/**
 * What one inbound {@code <gcm>} stanza means, after dispatch on its JSON {@code message_type}
 * (ccs-protocol.md §2.2). Every variant is an immutable record, safe to share between threads.
 */
public sealed interface Inbound {

  /**
   * A message a device sent upstream (§3.6): it must be acked on the connection it came in on.
   *
   * @param timeToLive the upstream TTL in seconds when CCS sent one
   */
  record Upstream(
      String from,
      String category,
      String messageId,
      Map<String, String> data,
      Optional<Long> timeToLive,
      int stanzaBytes)
      implements Inbound {
    public Upstream {
      data = Map.copyOf(data);
    }
  }

  /** A control message (§3.9); {@code CONNECTION_DRAINING} is the only documented type. */
  record Control(String controlType) implements Inbound {
    public static final String CONNECTION_DRAINING = "CONNECTION_DRAINING";

    public boolean isConnectionDraining() {
      return CONNECTION_DRAINING.equals(controlType);
    }
  }

  /**
   * A delivery receipt (§3.8). It must be acked with its {@code dr2:} id, {@code to} its {@code
   * from}, on the connection it came in on.
   */
  record Receipt(String from, String messageId, Map<String, String> data) implements Inbound {
    public Receipt {
      data = Map.copyOf(data);
    }
  }

  /**
   * CCS accepted a downstream message (§3.2).
   *
   * @param canonicalRegistrationId the token the application should use from now on, when CCS sent
   *     one
   */
  record Ack(String from, String messageId, Optional<String> canonicalRegistrationId)
      implements Inbound {}

  /** CCS refused a downstream message (§3.3, codes in §3.4). */
  record Nack(String from, String messageId, String error, Optional<String> errorDescription)
      implements Inbound {}

  /**
   * A well-formed message whose {@code message_type} this gateway does not act on: unknown types,
   * which §2.1 allows a server to ignore.
   */
  record Unhandled(String messageType, Optional<String> messageId) implements Inbound {}

  /**
   * A stanza that breaks the protocol. It is never handed to the application; when its sender and
   * id are known it is acked so CCS stops redelivering it.
   */
  record Rejected(RejectReason reason, String detail, Optional<AckKey> ackKey) implements Inbound {}
}
