package io.uplink.stats;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every running total the gateway keeps, declared once: its name in MicroProfile Metrics (Payara
 * serves it at {@code /metrics} as a Prometheus counter, dots as underscores and {@code _total}
 * appended), what it counts, and the labels its series carry. The MXBeans, the status API and the
 * metrics all read the same counters through {@link GatewayCounters#snapshot()}.
 */
public enum Total {
  UPSTREAM_RECEIVED("uplink.upstream.received", "Upstream messages read, duplicates and rejects"),
  UPSTREAM_DELIVERED("uplink.upstream.delivered", "Upstream messages delivered and committed"),
  UPSTREAM_IN_DOUBT_COMMITTED(
      "uplink.upstream.in.doubt.committed",
      "Delivered messages whose attempt was counted as an error, its commit's answer lost"),
  UPSTREAM_DUPLICATES("uplink.upstream.duplicates", "Redeliveries acked without firing"),
  UPSTREAM_REJECTED(
      "uplink.upstream.rejected", "Upstream stanzas rejected as invalid, by reason", "reason"),
  UPSTREAM_ACKED("uplink.upstream.acked", "Upstream acks written"),
  UPSTREAM_DEAD_LETTERED(
      "uplink.upstream.dead.lettered", "Upstream messages parked in the dead-letter table"),
  UPSTREAM_OBSERVER_FAILURES(
      "uplink.upstream.observer.failures",
      "Delivery attempts an observer failed (a failed batch counts once per sender in it)"),
  UPSTREAM_ERRORS("uplink.upstream.errors", "Delivery attempts that failed otherwise"),
  UPSTREAM_ASYNC_OBSERVER_FAILURES(
      "uplink.upstream.async.observer.failures",
      "Committed upstream messages an @ObservesAsync observer failed on (not retried)"),
  UPSTREAM_NOT_QUEUED(
      "uplink.upstream.not.queued",
      "Upstream messages left unacked on arrival: a copy still queued, or a full lane"),
  DOWNSTREAM_ACCEPTED("uplink.downstream.accepted", "Downstream messages accepted for sending"),
  DOWNSTREAM_BACKLOG_REFUSALS(
      "uplink.downstream.backlog.refusals",
      "Sends refused because the sender already had uplink.downstream.max-pending messages"),
  DOWNSTREAM_REFUSED(
      "uplink.downstream.refused",
      "Downstream messages of a batch refused at acceptance (invalid, or message_id used)"),
  DOWNSTREAM_SENT("uplink.downstream.sent", "Downstream stanzas written, resends included"),
  DOWNSTREAM_ACKED("uplink.downstream.acked", "Downstream messages CCS acked"),
  DOWNSTREAM_NACKED("uplink.downstream.nacked", "Downstream nacks received, by error code", "code"),
  DOWNSTREAM_RETRIED("uplink.downstream.retried", "Downstream retries after a nack"),
  DOWNSTREAM_FAILED("uplink.downstream.failed", "Downstream sends that failed for good"),
  DOWNSTREAM_EXPIRED(
      "uplink.downstream.expired", "Downstream messages whose time_to_live ran out unsent"),
  DOWNSTREAM_CANCELLED(
      "uplink.downstream.cancelled",
      "Downstream messages an operator cancelled before they were written"),
  DOWNSTREAM_SEND_TIMEOUTS(
      "uplink.downstream.send.timeouts",
      "Downstream sends whose caller stopped waiting for room; the messages stay pending"),
  DOWNSTREAM_SENDER_PAUSES(
      "uplink.downstream.sender.pauses",
      "Sender-wide pauses: CCS or FCM unavailable, over quota, credentials refused, no answer"),
  DOWNSTREAM_RECORD_RETRIES(
      "uplink.downstream.record.retries",
      "Attempts to record how a downstream message ended that failed and were tried again"),
  DOWNSTREAM_STANZA_ERRORS("uplink.downstream.stanza.errors", "Stanza errors CCS sent"),
  DOWNSTREAM_RECEIPTS("uplink.downstream.receipts", "Delivery receipts received"),
  DOWNSTREAM_EVENT_FAILURES(
      "uplink.downstream.event.failures",
      "Failed attempts to hand a token event to the application",
      false,
      null),
  RETENTION_PURGED(
      "uplink.retention.purged", "Rows the retention purge deleted, by table", false, "table");

  /** The ends of a downstream message accepted or adopted ({@link #DOWNSTREAM_ACCEPTED}). */
  static final Set<Total> DOWNSTREAM_ENDS =
      EnumSet.of(DOWNSTREAM_ACKED, DOWNSTREAM_FAILED, DOWNSTREAM_EXPIRED, DOWNSTREAM_CANCELLED);

  private final String metricName;
  private final String description;
  private final boolean perSender;
  private final String label;

  Total(String metricName, String description) {
    this(metricName, description, true, null);
  }

  Total(String metricName, String description, String label) {
    this(metricName, description, true, label);
  }

  Total(String metricName, String description, boolean perSender, String label) {
    this.metricName = metricName;
    this.description = description;
    this.perSender = perSender;
    this.label = label;
  }

  /** The name in MicroProfile Metrics. */
  public String metricName() {
    return metricName;
  }

  /** The metric's help text. */
  public String description() {
    return description;
  }

  /** Whether its series carry a {@code sender} label. */
  public boolean perSender() {
    return perSender;
  }

  /** The label that splits it further (a reject's reason, a nack's code), if any. */
  public Optional<String> label() {
    return Optional.ofNullable(label);
  }
}
