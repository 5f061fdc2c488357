package com.example.push;

import io.uplink.api.Category;
import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * The app registers its push token with an upstream message of its own category: {@code
 * {"action":"register","user":"alice"}}; the sender ({@code from}) is the token. Runs inside
 * Uplink's delivery transaction: if it throws, nothing is stored and CCS delivers the message again.
 */
@ApplicationScoped
public class TokenRegistrations {

  private static final Logger LOG = Logger.getLogger(TokenRegistrations.class.getName());

  @Inject PushTokens tokens;

  void on(@Observes @Category("com.example.push") UpstreamMessage message) {
    String user = message.data().get("user");
    if (!"register".equals(message.data().get("action")) || user == null || user.isBlank()) {
      LOG.info("Ignored " + message + ": not a registration");
      return;
    }
    tokens.register(user, message.from());
  }
}
