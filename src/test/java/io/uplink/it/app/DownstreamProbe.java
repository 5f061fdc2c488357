package io.uplink.it.app;

import io.uplink.api.Downstream;
import io.uplink.api.DownstreamSender;
import io.uplink.api.InvalidDownstreamException;
import io.uplink.api.SendResult;
import io.uplink.cluster.LocalInstance;
import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Total;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Sends downstream messages through the CDI API, as application code does, for the tests. */
@Path("downstream")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DownstreamProbe {

  private static final Set<String> LOCKED_ROWS = ConcurrentHashMap.newKeySet();

  @Inject DownstreamSender sender;
  @Inject DownstreamEventRecorder recorder;
  @Inject LocalInstance self;
  @Inject GatewayCounters counters;

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  /**
   * Sends {@code count} messages {@code prefix-0 … prefix-(count-1)} to one token (or, when the
   * token contains {@code {n}}, each to its own token), with a receipt when asked, and waits for
   * all results; through the given sender, or the first configured.
   *
   * @return each message id with its outcome, plus the error when it failed; {@code REFUSED} and
   *     the reason for a message the sender refused at once
   */
  @POST
  @Path("send")
  public Map<String, String> send(
      @QueryParam("to") String to,
      @QueryParam("prefix") String prefix,
      @QueryParam("count") int count,
      @QueryParam("receipt") boolean receipt,
      @QueryParam("sender") String senderId)
      throws Exception {
    List<CompletableFuture<SendResult>> results = new ArrayList<>();
    Map<String, String> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Downstream message =
          Downstream.to(to.replace("{n}", String.valueOf(i)))
              .messageId(prefix + "-" + i)
              .data("n", String.valueOf(i))
              .deliveryReceiptRequested(receipt)
              .build();
      try {
        results.add(
            (senderId == null ? sender.send(message) : sender.send(senderId, message))
                .toCompletableFuture());
      } catch (InvalidDownstreamException refused) {
        outcomes.put(prefix + "-" + i, "REFUSED " + refused.getMessage());
      }
    }
    for (CompletableFuture<SendResult> result : results) {
      SendResult done = result.get(60, TimeUnit.SECONDS);
      outcomes.put(
          done.messageId(), done.outcome() + done.error().map(error -> " " + error).orElse(""));
    }
    return outcomes;
  }

  /**
   * Sends {@code prefix-0 … prefix-(count-1)}, each to its own token made from {@code to} (which
   * contains {@code {n}}), and {@code prefix-0} once more, in one {@code sendEach}, and waits for
   * all results.
   *
   * @return each result in the list's order: id, outcome and error
   */
  @POST
  @Path("send-each")
  public List<String> sendEach(
      @QueryParam("to") String to,
      @QueryParam("prefix") String prefix,
      @QueryParam("count") int count)
      throws Exception {
    List<Downstream> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(
          Downstream.to(to.replace("{n}", String.valueOf(i))).messageId(prefix + "-" + i).build());
    }
    messages.add(messages.get(0));
    List<String> outcomes = new ArrayList<>();
    for (var result : sender.sendEach(messages)) {
      SendResult done = result.toCompletableFuture().get(60, TimeUnit.SECONDS);
      outcomes.add(
          done.messageId() + " " + done.outcome() + done.error().map(e -> " " + e).orElse(""));
    }
    return outcomes;
  }

  /** Makes the token-event observer fail for the token until {@link #heal}. */
  @POST
  @Path("event-failures")
  @Transactional
  public void failEvents(@QueryParam("token") String token) {
    entityManager.persist(new EventFailureSwitch(token));
  }

  @DELETE
  @Path("event-failures")
  @Transactional
  public void heal(@QueryParam("token") String token) {
    EventFailureSwitch failure = entityManager.find(EventFailureSwitch.class, token);
    if (failure != null) {
      entityManager.remove(failure);
    }
  }

  /** How many token events of the token wait in the outbox's event table to be handed over. */
  @GET
  @Path("token-events/waiting")
  public long tokenEventsWaiting(@QueryParam("token") String token) {
    return entityManager
        .createQuery("select count(e) from TokenEventRecord e where e.token = :token", Long.class)
        .setParameter("token", token)
        .getSingleResult();
  }

  @GET
  @Path("events")
  public List<String> events() {
    return recorder.events();
  }

  /**
   * Locks the outbox row of the message in a transaction of its own for {@code millis}, as a long
   * report or a stuck session would, so that recording the message's end fails meanwhile; answers
   * once the lock is released.
   */
  @POST
  @Path("outbox-lock")
  @Transactional
  public void holdOutboxRow(
      @QueryParam("message") String messageId, @QueryParam("millis") long millis)
      throws InterruptedException {
    entityManager
        .createNativeQuery("select id from uplink_outbox where message_id = ?1 for update")
        .setParameter(1, messageId)
        .getResultList();
    LOCKED_ROWS.add(messageId);
    try {
      Thread.sleep(millis);
    } finally {
      LOCKED_ROWS.remove(messageId);
    }
  }

  /** Whether {@link #holdOutboxRow} holds the message's row now. */
  @GET
  @Path("outbox-lock")
  public boolean outboxRowHeld(@QueryParam("message") String messageId) {
    return LOCKED_ROWS.contains(messageId);
  }

  /**
   * Writes a pending outbox row owned by this instance straight into the table, past the gateway's
   * code, and counts it accepted, as a message accepted and then lost track of by memory would be:
   * only the outbox's rescan can find it.
   */
  @POST
  @Path("outbox-row")
  @Transactional
  public void writeUntrackedRow(
      @QueryParam("sender") String senderId,
      @QueryParam("message") String messageId,
      @QueryParam("to") String to) {
    Instant now = Instant.now();
    entityManager
        .createNativeQuery(
            "insert into uplink_outbox (id, sender_id, message_id, target_key, target, json,"
                + " status, accepted_at, expires_at, owner)"
                + " values (next value for uplink_outbox_seq, ?1, ?2, ?3, ?3, ?4, 'PENDING', ?5,"
                + " ?6, ?7)")
        .setParameter(1, senderId)
        .setParameter(2, messageId)
        .setParameter(3, to)
        .setParameter(4, "{\"to\":\"" + to + "\",\"message_id\":\"" + messageId + "\",\"data\":{}}")
        .setParameter(5, now)
        .setParameter(6, now.plus(Duration.ofHours(1)))
        .setParameter(7, self.id())
        .executeUpdate();
    counters.count(Total.DOWNSTREAM_ACCEPTED, senderId);
  }
}
