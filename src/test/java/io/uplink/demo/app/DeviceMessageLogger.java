package io.uplink.demo.app;

import io.uplink.api.Category;
import io.uplink.api.RegistrationTokens;
import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;

/**
 * The example application of the demo: an ordinary CDI bean that observes the upstream messages of
 * one app. Duplicates never reach it; if it threw, the message would stay unacked and CCS would
 * redeliver it.
 */
@ApplicationScoped
public class DeviceMessageLogger {

  private static final Logger LOG = Logger.getLogger(DeviceMessageLogger.class.getName());

  void on(@Observes @Category("com.example.app") UpstreamMessage message) {
    LOG.info(
        "Example app got "
            + message.messageId()
            + " from device "
            + RegistrationTokens.abbreviate(message.from())
            + ": "
            + message.data());
  }
}
