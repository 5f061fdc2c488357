package io.uplink.config;

import java.net.URI;

/**
 * The Firebase project a sender sends to through FCM's HTTP v1 API, and the service account that
 * signs its OAuth 2.0 token requests. Immutable; the service account's JSON is a {@link Secret}, so
 * {@link #toString()} never shows its private key.
 *
 * @param serviceAccount the service account's JSON key, read from a file or a password alias
 * @param baseUrl where the API is ({@code https://fcm.googleapis.com}); tests point it at the
 *     emulator
 * @param tokenUrl where access tokens are obtained ({@code https://oauth2.googleapis.com/token})
 * @param maxInFlight how many requests may wait for their answer at once: HTTP v1's counterpart of
 *     a CCS connection's window
 */
public record HttpV1Account(
    String projectId, Secret serviceAccount, URI baseUrl, URI tokenUrl, int maxInFlight) {}
