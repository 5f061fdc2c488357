/**
 * The wire format of FCM's HTTP v1 API, as {@code ccs} is CCS's: how a downstream message becomes a
 * {@code messages:send} request ({@link io.uplink.fcm.HttpV1Message}) and what FCM's answer says
 * ({@link io.uplink.fcm.FcmAnswer}). No transport and no state; the {@code httpv1} package sends.
 */
package io.uplink.fcm;
