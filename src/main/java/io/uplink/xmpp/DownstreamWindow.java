package io.uplink.xmpp;

import io.uplink.downstream.Outbound;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The downstream messages one stream has sent and CCS has not answered yet. Acks and nacks are only
 * valid on the stream that sent the message, and CCS allows at most 100 of them pending per
 * connection (ccs-protocol.md §4.1), so each stream keeps its own bounded window. Thread-safe.
 */
final class DownstreamWindow {

  private final int capacity;
  private final Map<String, Sent> pending = new LinkedHashMap<>();
  private boolean closed;

  DownstreamWindow(int capacity) {
    this.capacity = capacity;
  }

  /** Takes the message into the window, unless it is full or closed. */
  synchronized boolean tryAdd(Outbound message) {
    if (closed || pending.size() >= capacity) {
      return false;
    }
    pending.put(message.messageId(), new Sent(message, System.nanoTime()));
    return true;
  }

  /** The message CCS just answered, or null when this stream did not send it. */
  synchronized Sent remove(String messageId) {
    return pending.remove(messageId);
  }

  /** Closes the window and hands back what it still held, to be sent on another stream. */
  synchronized List<Outbound> close() {
    closed = true;
    List<Outbound> unanswered = new ArrayList<>(pending.size());
    pending.values().forEach(sent -> unanswered.add(sent.message()));
    pending.clear();
    return unanswered;
  }

  synchronized int size() {
    return pending.size();
  }

  /** A message in the window and when it was written ({@link System#nanoTime()}). */
  record Sent(Outbound message, long sentAtNanos) {}
}
