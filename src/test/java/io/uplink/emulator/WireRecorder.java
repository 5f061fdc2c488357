package io.uplink.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps everything the emulator saw and did, in arrival order, for tests to assert on. Recording of
 * raw stanza text can be switched off for benchmarks; the other records are always kept.
 *
 * <p>Thread-safe: writers are the connections' threads, readers get snapshot copies.
 */
final class WireRecorder {

  private final boolean recordStanzas;
  private final List<WireStanza> stanzas = new ArrayList<>();
  private final List<ConnectionEvent> events = new ArrayList<>();
  private final List<AuthFailure> authFailures = new ArrayList<>();
  private final List<AckRecord> acks = new ArrayList<>();
  private final List<DownstreamRecord> downstream = new ArrayList<>();
  private final List<ProtocolViolation> violations = new ArrayList<>();

  WireRecorder(boolean recordStanzas) {
    this.recordStanzas = recordStanzas;
  }

  void stanza(String connectionId, WireStanza.Direction direction, String xml) {
    if (recordStanzas) {
      add(stanzas, new WireStanza(connectionId, direction, xml, Instant.now()));
    }
  }

  void event(String connectionId, String senderId, ConnectionEvent.Kind kind, String detail) {
    add(events, new ConnectionEvent(connectionId, senderId, kind, detail, Instant.now()));
  }

  void authFailure(String connectionId, String authenticationId, String reason) {
    add(authFailures, new AuthFailure(connectionId, authenticationId, reason, Instant.now()));
  }

  void ack(AckRecord ack) {
    add(acks, ack);
  }

  /** Adds a downstream record and returns its index, for {@link #replaceDownstream}. */
  int downstream(DownstreamRecord record) {
    synchronized (downstream) {
      downstream.add(record);
      return downstream.size() - 1;
    }
  }

  /** Replaces the record at {@code index} with a later version of it. */
  void replaceDownstream(int index, DownstreamRecord record) {
    synchronized (downstream) {
      downstream.set(index, record);
    }
  }

  void violation(String connectionId, String description) {
    add(violations, new ProtocolViolation(connectionId, description, Instant.now()));
  }

  List<WireStanza> stanzas(Predicate<WireStanza> filter) {
    return select(stanzas, filter);
  }

  List<ConnectionEvent> events() {
    return select(events, e -> true);
  }

  List<AuthFailure> authFailures() {
    return select(authFailures, e -> true);
  }

  List<AckRecord> acks(Predicate<AckRecord> filter) {
    return select(acks, filter);
  }

  List<DownstreamRecord> downstream(Predicate<DownstreamRecord> filter) {
    return select(downstream, filter);
  }

  List<ProtocolViolation> violations() {
    return select(violations, e -> true);
  }

  private static <T> void add(List<T> list, T item) {
    synchronized (list) {
      list.add(item);
    }
  }

  private static <T> List<T> select(List<T> list, Predicate<? super T> filter) {
    synchronized (list) {
      return list.stream().filter(filter).toList();
    }
  }
}
