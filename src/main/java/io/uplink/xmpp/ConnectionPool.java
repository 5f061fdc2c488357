package io.uplink.xmpp;

import io.uplink.ccs.CcsCodec;
import io.uplink.cluster.SenderAssignment;
import io.uplink.config.CcsSettings;
import io.uplink.config.DownstreamSettings;
import io.uplink.config.SenderSettings;
import io.uplink.downstream.DownstreamOutcomes;
import io.uplink.downstream.DownstreamQueue;
import io.uplink.downstream.ReceiptProcessor;
import io.uplink.downstream.SendRoom;
import io.uplink.downstream.SenderDispatch;
import io.uplink.stats.GatewayCounters;
import io.uplink.upstream.UpstreamPipeline;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jivesoftware.smack.ReconnectionManager;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.roster.Roster;

/**
 * The managed pool of CCS connections: {@code uplink.ccs.connections} slots per configured sender,
 * made when the application starts (a bad configuration fails the deployment here) and closed when
 * it stops, with one downstream dispatcher per sender that spreads sends over them. A slot opens
 * when this instance is assigned it ({@link SenderAssignment}: all of them for a single instance,
 * its leased share in a cluster) and stands by when it is not. Connection attempts run on the
 * container's managed scheduled executor, dispatchers on its managed threads. Thread-safe; one per
 * application.
 */
@ApplicationScoped
public class ConnectionPool {

  private static final Logger LOG = Logger.getLogger(ConnectionPool.class.getName());

  /**
   * Smack logs a stream lost on a parse error with the parser's message, which quotes the XML it
   * stopped in and so can hold registration tokens; the slot logs the loss itself, without it. Held
   * here so that the level set on it is not lost with a collected logger.
   */
  private static final Logger SMACK_CONNECTION_LOG =
      Logger.getLogger("org.jivesoftware.smack.AbstractXMPPConnection");

  @Inject CcsSettings ccs;
  @Inject DownstreamSettings downstream;
  @Inject CcsCodec codec;
  @Inject UpstreamPipeline pipeline;
  @Inject DownstreamQueue downstreamQueue;
  @Inject DownstreamOutcomes outcomes;
  @Inject ReceiptProcessor receipts;
  @Inject GatewayCounters counters;
  @Inject Instance<ConnectionLifecycleListener> listeners;

  @Resource ManagedScheduledExecutorService scheduler;
  @Resource ManagedThreadFactory threads;

  private static final long ANSWER_POLL_MILLIS = 20;

  private final List<ConnectionSlot> slots = new CopyOnWriteArrayList<>();
  private final List<SenderDispatch> dispatches = new CopyOnWriteArrayList<>();

  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    configureSmack();
    PoolContext context =
        new PoolContext(
            ccs,
            downstream,
            TlsSocketFactory.forSettings(ccs),
            scheduler,
            codec,
            pipeline,
            outcomes,
            receipts,
            counters,
            new SendRoom());
    for (SenderSettings sender : ccs.senders()) {
      InboundDispatcher dispatcher = new InboundDispatcher(sender.senderId(), context);
      List<ConnectionSlot> senderSlots = new ArrayList<>();
      for (int i = 0; i < sender.connections(); i++) {
        ConnectionSlot slot = new ConnectionSlot(context, sender, i, dispatcher);
        senderSlots.add(slot);
        listeners.forEach(listener -> listener.connectionOpened(slot));
      }
      slots.addAll(senderSlots);
      if (!sender.sendsOverHttpV1()) {
        SenderDispatch dispatch =
            new SenderDispatch(
                sender.senderId(),
                senderSlots,
                downstreamQueue,
                outcomes,
                downstream.sendTimeout(),
                context.room(),
                threads);
        dispatches.add(dispatch);
        dispatch.start();
      }
      LOG.info(
          "Made "
              + sender.connections()
              + " CCS connection slot(s) for sender "
              + sender.senderId()
              + " to "
              + ccs.host()
              + ":"
              + ccs.port()
              + (sender.sendsOverHttpV1() ? "; it sends downstream through HTTP v1" : ""));
    }
  }

  /** Opens the slots this instance is assigned, and stands by the others of that sender. */
  void assign(@Observes SenderAssignment assignment) {
    for (ConnectionSlot slot : slots) {
      if (!slot.senderId().equals(assignment.senderId())) {
        continue;
      }
      if (assignment.connections().contains(slot.index())) {
        slot.activate();
      } else {
        slot.standBy();
      }
    }
  }

  /** Whether the downstream dispatcher of every sender that sends over CCS is running. */
  public boolean isAlive() {
    return dispatches.stream().allMatch(SenderDispatch::isAlive);
  }

  /** Every slot, for monitoring and operations. */
  public List<ManagedConnection> connections() {
    return new ArrayList<>(slots);
  }

  /** The slots of one sender. */
  public List<ManagedConnection> connections(String senderId) {
    return slots.stream()
        .filter(slot -> slot.senderId().equals(senderId))
        .map(ManagedConnection.class::cast)
        .toList();
  }

  /** How many of a sender's connections are authenticated now. */
  public int connectedCount(String senderId) {
    return (int)
        slots.stream()
            .filter(slot -> slot.senderId().equals(senderId))
            .filter(slot -> slot.status().state() == ConnectionState.CONNECTED)
            .count();
  }

  /**
   * Stops gracefully while every bean is still there (the application context is about to end, on
   * undeploy or server stop): downstream dispatch stops (queued messages stay pending in the
   * outbox), the delivery lanes deliver and ack what they hold, on the streams it came in on, while
   * new upstream messages are left unacked for CCS to redeliver; CCS gets until the drain timeout
   * to answer the downstream messages in flight and the outbox records those answers; then the
   * streams close.
   */
  void stopGracefully(
      @Observes @BeforeDestroyed(ApplicationScoped.class) Object applicationStopping) {
    long deadline = System.nanoTime() + ccs.drainTimeout().toNanos();
    LOG.info("Stopping: finishing the upstream and downstream messages in flight");
    stopDispatches();
    pipeline.finish(deadline);
    int unanswered = awaitAnswers(deadline);
    try {
      if (!outcomes.awaitSettled(deadline) || unanswered > 0) {
        LOG.warning(
            "Stopping with "
                + unanswered
                + " downstream message(s) unanswered; the outbox sends them again after a restart");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeSlots();
  }

  /** Ends what a stop without the graceful sequence (a failed deployment) left running. */
  @PreDestroy
  void stop() {
    stopDispatches();
    closeSlots();
  }

  private void stopDispatches() {
    SenderDispatch.stopAll(dispatches);
  }

  /** Waits until CCS answered every downstream message in flight; returns how many it did not. */
  private int awaitAnswers(long deadlineNanos) {
    while (true) {
      int pending = slots.stream().mapToInt(slot -> slot.status().pendingDownstream()).sum();
      if (pending == 0 || System.nanoTime() - deadlineNanos > 0) {
        return pending;
      }
      try {
        Thread.sleep(ANSWER_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return pending;
      }
    }
  }

  private void closeSlots() {
    if (slots.isEmpty()) {
      return;
    }
    for (ConnectionSlot slot : slots) {
      slot.close();
      listeners.forEach(listener -> listener.connectionClosed(slot));
    }
    LOG.info("Closed " + slots.size() + " CCS connection(s)");
    slots.clear();
  }

  /**
   * Smack's process-wide settings: the {@code gcm} element provider, and none of the instant
   * messaging behaviour CCS does not use (roster, automatic reconnection: the slots reconnect), and
   * no XML quoted in its connection log.
   */
  private static void configureSmack() {
    ProviderManager.addExtensionProvider(
        GcmElement.ELEMENT, GcmElement.NAMESPACE, new GcmElementProvider());
    Roster.setRosterLoadedAtLoginDefault(false);
    ReconnectionManager.setEnabledPerDefault(false);
    SMACK_CONNECTION_LOG.setLevel(Level.SEVERE);
  }
}
