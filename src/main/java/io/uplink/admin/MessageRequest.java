package io.uplink.admin;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * What the body of {@code POST /uplink/api/messages} adds to a downstream message's CCS JSON
 * (ccs-protocol.md §3.1, read as a {@link io.uplink.api.Downstream}): the optional {@code
 * sender_id} to send with (default: the first configured sender). Immutable.
 */
public record MessageRequest(@JsonbProperty("sender_id") String senderId) {}
