package io.uplink.ccs;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The JSON-B binding target for every JSON object CCS sends to an app server (ccs-protocol.md §2.2,
 * §3.2, §3.6, §3.8, §3.9). It lists every documented field with its documented type so that a
 * mistyped field fails binding ({@code data} stays a JSON object until its values are checked); it
 * is decoded once and then mapped to the precise {@link Inbound} type by {@link CcsCodec}.
 * Immutable.
 */
public record InboundJson(
    @JsonbProperty("message_type") String messageType,
    @JsonbProperty("message_id") String messageId,
    @JsonbProperty("from") String from,
    @JsonbProperty("to") String to,
    @JsonbProperty("category") String category,
    @JsonbProperty("data") JsonObject data,
    @JsonbProperty("time_to_live") Long timeToLive,
    @JsonbProperty("control_type") String controlType,
    @JsonbProperty("error") String error,
    @JsonbProperty("error_description") String errorDescription,
    @JsonbProperty("registration_id") String registrationId) {}
