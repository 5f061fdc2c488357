package io.uplink.emulator;

import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * One {@code messages:send} the HTTP v1 emulator answered. Immutable.
 *
 * @param target the message's token, topic or condition
 * @param code FCM's error code, or the API status when there is none; empty on 200
 * @param name the name given to an accepted message; empty otherwise
 * @param request the request body as sent, or {@code null} if it was not JSON
 * @param at when it was answered
 */
public record HttpV1Record(
    String target, int status, String code, String name, JsonObject request, Instant at) {

  /** The message's {@code data.id}, which tests set to the gateway's message id; or "". */
  public String id() {
    return dataId(request);
  }

  static String dataId(JsonObject request) {
    if (request == null
        || !(request.get("message") instanceof JsonObject message)
        || !(message.get("data") instanceof JsonObject data)) {
      return "";
    }
    return data.getString("id", "");
  }
}
