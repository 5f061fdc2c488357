package io.uplink.emulator;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Faults queued by tests with {@link CcsEmulator#failNext}: the next downstream messages of a
 * sender, or to a target, are NACKed with a chosen error (ccs-protocol.md §3.4), typically {@code
 * SERVICE_UNAVAILABLE} or {@code INTERNAL_SERVER_ERROR} to make the client retry.
 *
 * <p>Thread-safe: one lock; the common case (no fault queued) reads one volatile field.
 */
final class FaultInjector {

  private record Fault(String error, int remaining) {}

  private final Map<String, ArrayDeque<Fault>> faults = new HashMap<>();
  private volatile boolean armed;

  synchronized void failNext(String key, String error, int count) {
    faults.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new Fault(error, count));
    armed = true;
  }

  /**
   * Consumes and returns the NACK queued for {@code target} or, failing that, for {@code senderId};
   * {@code null} if none is queued.
   */
  DownstreamReply.Nack take(String senderId, String target) {
    if (!armed) {
      return null;
    }
    synchronized (this) {
      String error = take(target);
      if (error == null) {
        error = take(senderId);
      }
      armed = !faults.isEmpty();
      return error == null ? null : new DownstreamReply.Nack(error, description(error));
    }
  }

  private String take(String key) {
    ArrayDeque<Fault> queue = faults.get(key);
    if (queue == null) {
      return null;
    }
    Fault fault = queue.pollFirst();
    if (fault.remaining() > 1) {
      queue.addFirst(new Fault(fault.error(), fault.remaining() - 1));
    } else if (queue.isEmpty()) {
      faults.remove(key);
    }
    return fault.error();
  }

  private static String description(String error) {
    return switch (error) {
      case "SERVICE_UNAVAILABLE" -> "CCS is not currently able to process the message (injected)";
      case "INTERNAL_SERVER_ERROR" ->
          "The server encountered an error while trying to process the request (injected)";
      default -> "Injected fault " + error;
    };
  }
}
