package io.uplink.it.app;

import io.uplink.api.Downstream;
import io.uplink.api.DownstreamSender;
import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes every upstream message to {@code it_delivered} in the delivery transaction. A message
 * whose data has {@code replies=n} makes it send n downstream messages back to the device; one
 * whose data has {@code fail=once} throws on its first attempt only; {@code fail=always} throws
 * every time (a poison message); {@code fail=at-commit} makes its work fail only when the delivery
 * commits (a unique key broken by two unflushed rows); {@code fail=listed} throws while the test
 * lists the message id ({@link #failWhileListed}); one with {@code sleep=ms} takes that long, like
 * a slow observer. The row it writes before throwing must be rolled back.
 */
@ApplicationScoped
public class RecordingObserver {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  @Inject DownstreamSender sender;

  private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
  private final Set<String> listed = ConcurrentHashMap.newKeySet();

  /** Makes a message with {@code fail=listed} fail, or stop failing. */
  void failWhileListed(String messageId, boolean fail) {
    if (fail) {
      listed.add(messageId);
    } else {
      listed.remove(messageId);
    }
  }

  void on(@Observes UpstreamMessage message) {
    entityManager.persist(
        new DeliveredRecord(
            message.senderId(), message.from(), message.messageId(), message.category()));
    entityManager.flush();
    long sleep = Long.parseLong(message.data().getOrDefault("sleep", "0"));
    if (sleep > 0) {
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int replies = Integer.parseInt(message.data().getOrDefault("replies", "0"));
    for (int i = 0; i < replies; i++) {
      sender.send(
          Downstream.to(message.from()).messageId(message.messageId() + "-reply-" + i).build());
    }
    String fail = message.data().getOrDefault("fail", "");
    if (fail.equals("at-commit")) {
      entityManager.persist(new CommitConflictRecord(message.messageId()));
      entityManager.persist(new CommitConflictRecord(message.messageId()));
    }
    if (fail.equals("always")
        || (fail.equals("listed") && listed.contains(message.messageId()))
        || (fail.equals("once") && failedOnce.add(message.from() + "/" + message.messageId()))) {
      throw new IllegalStateException("observer failure requested by " + message.messageId());
    }
  }
}
