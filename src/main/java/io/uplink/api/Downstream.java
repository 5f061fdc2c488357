package io.uplink.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message for CCS to deliver to a device, a topic or a condition (ccs-protocol.md §3.1). Only a
 * valid message exists: every way to make one, the builder included, goes through the canonical
 * constructor, which checks every rule CCS would otherwise answer with {@code INVALID_JSON}.
 * Immutable and safe to share; build one with {@link #to(String)} or {@link #toCondition(String)}.
 *
 * @param messageId empty until the sender assigns one, unless the application chose it
 */
public record Downstream(
    Optional<String> to,
    Optional<String> condition,
    Optional<String> messageId,
    Optional<String> collapseKey,
    Optional<Priority> priority,
    boolean contentAvailable,
    boolean mutableContent,
    Optional<Integer> timeToLive,
    boolean deliveryReceiptRequested,
    boolean dryRun,
    Map<String, String> data,
    Optional<Notification> notification) {

  /** The longest TTL CCS accepts: four weeks (§3.1). */
  public static final int MAX_TIME_TO_LIVE = 2_419_200;

  /** Payload limit of most messages, keys and values of {@code data} and {@code notification}. */
  public static final int MAX_PAYLOAD_BYTES = 4096;

  /** Payload limit of messages to topics and conditions (§4.4). */
  public static final int MAX_TOPIC_PAYLOAD_BYTES = 2048;

  /**
   * Longest {@code message_id}: its delivery receipt's id, {@code dr2:} and this id (§3.8), must
   * still fit the {@link UpstreamMessage#MAX_MESSAGE_ID_LENGTH} of the ids Uplink records.
   */
  public static final int MAX_MESSAGE_ID_LENGTH = UpstreamMessage.MAX_MESSAGE_ID_LENGTH - 4;

  /** Longest {@code to} or {@code condition} (tokens are well under it). */
  public static final int MAX_TARGET_LENGTH = 4096;

  private static final String TOPIC_PREFIX = "/topics/";

  /**
   * Checks the message.
   *
   * @throws InvalidDownstreamException naming the rule it breaks
   * @throws NullPointerException for a null {@code Optional} or map
   */
  public Downstream {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(collapseKey, "collapseKey");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(timeToLive, "timeToLive");
    Objects.requireNonNull(notification, "notification");
    if (isSet(to) == isSet(condition)) {
      throw new InvalidDownstreamException("exactly one of 'to' and 'condition' must be set");
    }
    if (length(to) > MAX_TARGET_LENGTH || length(condition) > MAX_TARGET_LENGTH) {
      throw new InvalidDownstreamException(
          "'to' or 'condition' is longer than " + MAX_TARGET_LENGTH);
    }
    if (messageId.isPresent() && !isSet(messageId)) {
      throw new InvalidDownstreamException("message_id must not be blank");
    }
    if (length(messageId) > MAX_MESSAGE_ID_LENGTH) {
      throw new InvalidDownstreamException("message_id is longer than " + MAX_MESSAGE_ID_LENGTH);
    }
    timeToLive
        .filter(ttl -> ttl < 0 || ttl > MAX_TIME_TO_LIVE)
        .ifPresent(
            ttl -> {
              throw new InvalidDownstreamException(
                  "time_to_live must be between 0 and " + MAX_TIME_TO_LIVE + ": " + ttl);
            });
    Objects.requireNonNull(data, "data").forEach(Downstream::checkDataEntry);
    data = Map.copyOf(data);
    int limit = isTopic(to, condition) ? MAX_TOPIC_PAYLOAD_BYTES : MAX_PAYLOAD_BYTES;
    int payload = payloadBytes(data, notification);
    if (payload > limit) {
      throw new InvalidDownstreamException(
          "payload is " + payload + " bytes, limit " + limit + " for this target");
    }
  }

  /** A message to a registration token, notification key or single topic ({@code /topics/x}). */
  public static Builder to(String to) {
    return new Builder().to(to);
  }

  /** A message to the devices subscribed to a topic condition, e.g. {@code 'a' in topics}. */
  public static Builder toCondition(String condition) {
    return new Builder().condition(condition);
  }

  /** Whether it goes to topic subscribers, which lowers the payload limit. */
  public boolean isTopicMessage() {
    return isTopic(to, condition);
  }

  /** Bytes of the keys and values of {@code data} and {@code notification}, as CCS counts them. */
  public int payloadBytes() {
    return payloadBytes(data, notification);
  }

  /** The same message with the id the sender assigned. */
  public Downstream withMessageId(String id) {
    return new Downstream(
        to,
        condition,
        Optional.of(id),
        collapseKey,
        priority,
        contentAvailable,
        mutableContent,
        timeToLive,
        deliveryReceiptRequested,
        dryRun,
        data,
        notification);
  }

  /**
   * The same message to the given registration token (or topic), without a {@code message_id}: one
   * copy of a multicast.
   *
   * @throws InvalidDownstreamException for a blank or overlong token
   */
  public Downstream forToken(String token) {
    return new Downstream(
        Optional.ofNullable(token),
        Optional.empty(),
        Optional.empty(),
        collapseKey,
        priority,
        contentAvailable,
        mutableContent,
        timeToLive,
        deliveryReceiptRequested,
        dryRun,
        data,
        notification);
  }

  /** Where it goes, in full: the {@code to} or the {@code condition}. */
  public String targetKey() {
    return to.or(() -> condition).orElseThrow();
  }

  /** Where it goes, with a registration token abbreviated, for logs. */
  public String target() {
    return condition
        .map(c -> "condition " + c)
        .orElseGet(
            () ->
                to.filter(t -> t.startsWith(TOPIC_PREFIX))
                    .orElseGet(() -> RegistrationTokens.abbreviate(to.orElse(""))));
  }

  @Override
  public String toString() {
    return "Downstream[" + messageId.orElse("(no id)") + " to " + target() + "]";
  }

  /** Collects and validates a {@link Downstream}. Not thread-safe. */
  public static final class Builder {
    private String to;
    private String condition;
    private String messageId;
    private String collapseKey;
    private Priority priority;
    private boolean contentAvailable;
    private boolean mutableContent;
    private Integer timeToLive;
    private boolean deliveryReceiptRequested;
    private boolean dryRun;
    private final Map<String, String> data = new LinkedHashMap<>();
    private Notification notification;

    private Builder() {}

    public Builder to(String value) {
      to = value;
      return this;
    }

    public Builder condition(String value) {
      condition = value;
      return this;
    }

    /** Chooses the id instead of letting the sender generate one; unique per sender ID. */
    public Builder messageId(String value) {
      messageId = value;
      return this;
    }

    public Builder collapseKey(String value) {
      collapseKey = value;
      return this;
    }

    public Builder priority(Priority value) {
      priority = value;
      return this;
    }

    public Builder contentAvailable(boolean value) {
      contentAvailable = value;
      return this;
    }

    public Builder mutableContent(boolean value) {
      mutableContent = value;
      return this;
    }

    /** Seconds, 0 ("now or never") to {@value Downstream#MAX_TIME_TO_LIVE}. */
    public Builder timeToLive(int seconds) {
      timeToLive = seconds;
      return this;
    }

    public Builder deliveryReceiptRequested(boolean value) {
      deliveryReceiptRequested = value;
      return this;
    }

    public Builder dryRun(boolean value) {
      dryRun = value;
      return this;
    }

    public Builder data(String key, String value) {
      data.put(key, value);
      return this;
    }

    public Builder data(Map<String, String> values) {
      data.putAll(values);
      return this;
    }

    public Builder notification(Notification value) {
      notification = value;
      return this;
    }

    /**
     * The message.
     *
     * @throws InvalidDownstreamException naming the rule it breaks
     */
    public Downstream build() {
      return new Downstream(
          Optional.ofNullable(blankToNull(to)),
          Optional.ofNullable(blankToNull(condition)),
          Optional.ofNullable(messageId),
          Optional.ofNullable(collapseKey),
          Optional.ofNullable(priority),
          contentAvailable,
          mutableContent,
          Optional.ofNullable(timeToLive),
          deliveryReceiptRequested,
          dryRun,
          data,
          Optional.ofNullable(notification));
    }

    private static String blankToNull(String value) {
      return Text.isBlank(value) ? null : value;
    }
  }

  private static boolean isSet(Optional<String> value) {
    return value.filter(v -> !Text.isBlank(v)).isPresent();
  }

  private static int length(Optional<String> value) {
    return value.map(String::length).orElse(0);
  }

  private static boolean isTopic(Optional<String> to, Optional<String> condition) {
    return condition.isPresent() || to.map(t -> t.startsWith(TOPIC_PREFIX)).orElse(false);
  }

  private static int payloadBytes(Map<String, String> data, Optional<Notification> notification) {
    int total = 0;
    for (Map.Entry<String, String> entry : data.entrySet()) {
      total += Text.utf8Length(entry.getKey()) + Text.utf8Length(entry.getValue());
    }
    return total + notification.map(Notification::payloadBytes).orElse(0);
  }

  private static void checkDataEntry(String key, String value) {
    if (key == null || value == null) {
      throw new InvalidDownstreamException("data keys and values must not be null");
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.equals("from") || lower.startsWith("google") || lower.startsWith("gcm")) {
      throw new InvalidDownstreamException(
          "data key '" + key + "' is reserved ('from', 'google…', 'gcm…')");
    }
  }
}
