package io.uplink.xmpp;

import io.uplink.ccs.CcsCodec;
import io.uplink.ccs.UpstreamLimits;
import io.uplink.config.CcsSettings;
import io.uplink.config.SenderSettings;
import io.uplink.config.UpstreamSettings;
import io.uplink.upstream.UpstreamPipeline;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.jivesoftware.smack.ReconnectionManager;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.roster.Roster;

/**
 * The managed pool of CCS connections: {@code uplink.ccs.connections} slots per configured sender,
 * opened when the application starts (a bad configuration fails the deployment here) and closed
 * when it stops. Connection attempts run on the container's managed scheduled executor.
 * Thread-safe; one per application.
 */
@ApplicationScoped
public class ConnectionPool {

  private static final Logger LOG = Logger.getLogger(ConnectionPool.class.getName());

  @Inject CcsSettings ccs;
  @Inject UpstreamSettings upstream;
  @Inject UpstreamPipeline pipeline;
  @Inject Instance<ConnectionListener> listeners;

  @Resource ManagedScheduledExecutorService scheduler;

  private final List<ConnectionSlot> slots = new CopyOnWriteArrayList<>();
  private CcsCodec codec;

  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    configureSmack();
    codec =
        new CcsCodec(new UpstreamLimits(upstream.maxStanzaBytes(), upstream.allowedCategories()));
    TlsSocketFactory sockets = TlsSocketFactory.forSettings(ccs);
    for (SenderSettings sender : ccs.senders()) {
      InboundDispatcher dispatcher = new InboundDispatcher(sender.senderId(), codec, pipeline);
      for (int i = 0; i < sender.connections(); i++) {
        ConnectionSlot slot =
            new ConnectionSlot(ccs, sender, i, sockets, scheduler, dispatcher, codec);
        slots.add(slot);
        listeners.forEach(listener -> listener.slotOpened(slot));
        slot.open();
      }
      LOG.info(
          "Opening "
              + sender.connections()
              + " CCS connection(s) for sender "
              + sender.senderId()
              + " to "
              + ccs.host()
              + ":"
              + ccs.port());
    }
  }

  /** Every slot, for monitoring. */
  public List<ConnectionView> connections() {
    return new ArrayList<>(slots);
  }

  @PreDestroy
  void stop() {
    for (ConnectionSlot slot : slots) {
      slot.close();
      listeners.forEach(listener -> listener.slotClosed(slot));
    }
    slots.clear();
    if (codec != null) {
      try {
        codec.close();
      } catch (Exception e) {
        LOG.fine("closing the codec: " + e);
      }
    }
  }

  /**
   * Smack's process-wide settings: the {@code gcm} element provider, and none of the instant
   * messaging behaviour CCS does not use (roster, automatic reconnection: the slots reconnect).
   */
  private static void configureSmack() {
    ProviderManager.addExtensionProvider(
        GcmElement.ELEMENT, GcmElement.NAMESPACE, new GcmElementProvider());
    Roster.setRosterLoadedAtLoginDefault(false);
    ReconnectionManager.setEnabledPerDefault(false);
  }
}
