package io.uplink.demo.app;

import io.uplink.api.Category;
import io.uplink.api.Downstream;
import io.uplink.api.DownstreamSender;
import io.uplink.api.Notification;
import io.uplink.api.RegistrationTokens;
import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * The example application of the demo: an ordinary CDI bean that observes the upstream messages of
 * one app. Duplicates never reach it; if it threw, the message would stay unacked and CCS would
 * redeliver it. Every fifth message of a device gets a reply, alternately through the default
 * sender (over CCS) and through the send-only sender {@value #PUSH_SENDER} (over FCM's HTTP v1
 * API); the reply joins the delivery transaction, so it goes out once the delivery commits.
 */
@ApplicationScoped
public class DeviceMessageLogger {

  /** The demo's send-only sender, configured with {@code downstream=http-v1}. */
  public static final String PUSH_SENDER = "5550001";

  private static final Logger LOG = Logger.getLogger(DeviceMessageLogger.class.getName());

  @Inject DownstreamSender sender;

  void on(@Observes @Category("com.example.app") UpstreamMessage message) {
    LOG.info(
        "Example app got "
            + message.messageId()
            + " from device "
            + RegistrationTokens.abbreviate(message.from())
            + ": "
            + message.data());
    long n = Long.parseLong(message.messageId());
    if (n % 5 == 0) {
      Downstream reply =
          Downstream.to(message.from())
              .data("reply-to", message.messageId())
              .notification(Notification.builder().title("Got it").body("#" + n).build())
              .build();
      if (n % 10 == 0) {
        sender.send(PUSH_SENDER, reply);
      } else {
        sender.send(reply);
      }
    }
  }
}
