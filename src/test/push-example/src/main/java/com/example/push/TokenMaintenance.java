package com.example.push;

import io.uplink.api.CanonicalTokenReceived;
import io.uplink.api.TokenInvalidated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Keeps the stored tokens right from what FCM answers: a token it no longer knows is removed, and
 * a token with a canonical form is replaced by it.
 */
@ApplicationScoped
public class TokenMaintenance {

  @Inject PushTokens tokens;

  void invalidated(@Observes TokenInvalidated event) {
    tokens.remove(event.token());
  }

  void canonical(@Observes CanonicalTokenReceived event) {
    tokens.replace(event.oldToken(), event.canonicalToken());
  }
}
