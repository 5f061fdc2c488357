package io.uplink.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the gateway reaches FCM's HTTP v1 API, for every sender that sends through it. Immutable.
 *
 * @param trustStore a PKCS12 trust store for the API's and the token endpoint's certificates; empty
 *     means the JVM's default trust, which real FCM needs
 * @param requestTimeout how long one request may wait for its answer before it counts as unanswered
 *     and is sent again
 */
public record HttpV1Settings(
    Optional<Path> trustStore, Optional<Secret> trustStorePassword, Duration requestTimeout) {}
