package io.uplink.it.app;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lets the tests read what the application received and what was dead-lettered. */
@Path("")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  @Inject OtherAppObserver otherApp;
  @Inject AfterSuccessObserver afterSuccess;
  @Inject RecordingObserver recording;

  @POST
  @Path("upstream-failures/{messageId}")
  public void failUpstream(@PathParam("messageId") String messageId) {
    recording.failWhileListed(messageId, true);
  }

  @DELETE
  @Path("upstream-failures/{messageId}")
  public void stopFailingUpstream(@PathParam("messageId") String messageId) {
    recording.failWhileListed(messageId, false);
  }

  /**
   * Makes the de-duplication record of the message a day old, for the retention purge to take it.
   *
   * @return how many records were changed
   */
  @POST
  @Path("received/{messageId}/backdate")
  @Transactional
  public int backdateReceived(@PathParam("messageId") String messageId) {
    return entityManager
        .createQuery("update DedupRecord r set r.receivedAt = :at where r.key.messageId = :id")
        .setParameter("at", Instant.now().minus(Duration.ofDays(1)))
        .setParameter("id", messageId)
        .executeUpdate();
  }

  /** How many threads the gateway's JVM has started since it started. */
  @GET
  @Path("threads-started")
  public long threadsStarted() {
    return ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
  }

  /** The versions Flyway's history holds for Uplink's tables, in the order they were applied. */
  @GET
  @Path("schema-versions")
  public List<?> schemaVersions() {
    return entityManager
        .createNativeQuery(
            "select \"version\" from \"uplink_schema_history\" where \"success\" and \"version\" is not null"
                + " order by \"installed_rank\"")
        .getResultList();
  }

  /** The rows the recording observer committed for one message id. */
  @GET
  @Path("delivered/{messageId}")
  public List<DeliveredRecord> delivered(@PathParam("messageId") String messageId) {
    return entityManager
        .createQuery(
            "select d from DeliveredRecord d where d.messageId = :id order by d.id",
            DeliveredRecord.class)
        .setParameter("id", messageId)
        .getResultList();
  }

  /**
   * How many committed rows each message id has, counted by the database: after a long crash test
   * the table holds hundreds of thousands of rows, too many to load as entities in one request.
   */
  @GET
  @Path("deliveries")
  public Map<String, Long> deliveriesPerMessageId() {
    Map<String, Long> counts = new HashMap<>();
    entityManager
        .createQuery(
            "select d.messageId, count(d) from DeliveredRecord d group by d.messageId",
            Object[].class)
        .getResultStream()
        .forEach(row -> counts.put((String) row[0], (Long) row[1]));
    return counts;
  }

  @GET
  @Path("dead-letters")
  public List<DeadLetterRow> deadLetters() {
    return entityManager
        .createQuery(
            "select new io.uplink.it.app.DeadLetterRow(d.key.device, d.key.messageId,"
                + " d.attempts, d.lastError) from DeadLetter d order by d.id",
            DeadLetterRow.class)
        .getResultList();
  }

  @GET
  @Path("after-success")
  public Map<String, Integer> afterSuccess() {
    return afterSuccess.runs();
  }

  @GET
  @Path("async")
  public Map<String, Integer> async() {
    return afterSuccess.asyncRuns();
  }

  @GET
  @Path("other-app")
  public List<String> otherApp() {
    return otherApp.messageIds();
  }
}
