package io.uplink.api;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The user-visible {@code notification} payload of a downstream message (ccs-protocol.md §3.1:
 * common, iOS and Android O+ keys). Every field is optional; null fields are not sent. Immutable;
 * build one with {@link #builder()}.
 */
public record Notification(
    @JsonbProperty("title") String title,
    @JsonbProperty("body") String body,
    @JsonbProperty("icon") String icon,
    @JsonbProperty("sound") String sound,
    @JsonbProperty("tag") String tag,
    @JsonbProperty("color") String color,
    @JsonbProperty("click_action") String clickAction,
    @JsonbProperty("body_loc_key") String bodyLocKey,
    @JsonbProperty("body_loc_args") List<String> bodyLocArgs,
    @JsonbProperty("title_loc_key") String titleLocKey,
    @JsonbProperty("title_loc_args") List<String> titleLocArgs,
    @JsonbProperty("badge") String badge,
    @JsonbProperty("subtitle") String subtitle,
    @JsonbProperty("android_channel_id") String androidChannelId) {

  public Notification {
    bodyLocArgs = bodyLocArgs == null ? null : List.copyOf(bodyLocArgs);
    titleLocArgs = titleLocArgs == null ? null : List.copyOf(titleLocArgs);
  }

  /** Bytes of the keys and values that are set, as CCS counts the payload (§4.4). */
  int payloadBytes() {
    int total = 0;
    for (Map.Entry<String, Object> entry : fields().entrySet()) {
      total += Text.utf8Length(entry.getKey());
      if (entry.getValue() instanceof List<?> list) {
        for (Object item : list) {
          total += Text.utf8Length(String.valueOf(item));
        }
      } else {
        total += Text.utf8Length(String.valueOf(entry.getValue()));
      }
    }
    return total;
  }

  private Map<String, Object> fields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("title", title);
    fields.put("body", body);
    fields.put("icon", icon);
    fields.put("sound", sound);
    fields.put("tag", tag);
    fields.put("color", color);
    fields.put("click_action", clickAction);
    fields.put("body_loc_key", bodyLocKey);
    fields.put("body_loc_args", bodyLocArgs);
    fields.put("title_loc_key", titleLocKey);
    fields.put("title_loc_args", titleLocArgs);
    fields.put("badge", badge);
    fields.put("subtitle", subtitle);
    fields.put("android_channel_id", androidChannelId);
    fields.values().removeIf(Objects::isNull);
    return fields;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the fields of a {@link Notification}. Not thread-safe. */
  public static final class Builder {
    private String title;
    private String body;
    private String icon;
    private String sound;
    private String tag;
    private String color;
    private String clickAction;
    private String bodyLocKey;
    private List<String> bodyLocArgs;
    private String titleLocKey;
    private List<String> titleLocArgs;
    private String badge;
    private String subtitle;
    private String androidChannelId;

    private Builder() {}

    public Builder title(String value) {
      title = value;
      return this;
    }

    public Builder body(String value) {
      body = value;
      return this;
    }

    public Builder icon(String value) {
      icon = value;
      return this;
    }

    public Builder sound(String value) {
      sound = value;
      return this;
    }

    public Builder tag(String value) {
      tag = value;
      return this;
    }

    /** In {@code #rrggbb} form. */
    public Builder color(String value) {
      color = value;
      return this;
    }

    public Builder clickAction(String value) {
      clickAction = value;
      return this;
    }

    public Builder bodyLocalized(String key, List<String> args) {
      bodyLocKey = key;
      bodyLocArgs = args;
      return this;
    }

    public Builder titleLocalized(String key, List<String> args) {
      titleLocKey = key;
      titleLocArgs = args;
      return this;
    }

    /** iOS only. */
    public Builder badge(String value) {
      badge = value;
      return this;
    }

    /** iOS only. */
    public Builder subtitle(String value) {
      subtitle = value;
      return this;
    }

    /** Android O and later. */
    public Builder androidChannelId(String value) {
      androidChannelId = value;
      return this;
    }

    public Notification build() {
      return new Notification(
          title,
          body,
          icon,
          sound,
          tag,
          color,
          clickAction,
          bodyLocKey,
          bodyLocArgs,
          titleLocKey,
          titleLocArgs,
          badge,
          subtitle,
          androidChannelId);
    }
  }
}
