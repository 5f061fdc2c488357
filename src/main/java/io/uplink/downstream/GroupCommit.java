package io.uplink.downstream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;

/**
 * Records the messages that callers outside a transaction send one at a time, many to an outbox
 * transaction: one writer thread takes every send waiting when it is free and records them
 * together, then lets their callers return. Concurrent senders (the admin API's clients, a pool of
 * application threads) so share a commit instead of paying one each; a lone caller waits for its
 * own, as before. When a group cannot be recorded (one of its {@code message_id}s is taken), each
 * of its messages is recorded by itself, so that only the one at fault fails, with the exception a
 * transaction of its own would have thrown. Thread-safe; the writer runs from the application's
 * start to its stop, and a caller still waiting then is told the application stops.
 */
@ApplicationScoped
public class GroupCommit {

  private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
  private static final int MAX_GROUP = 256;

  @Inject Outbox outbox;

  @Resource ManagedThreadFactory threads;

  private BatchWriter<Waiting> writer;

  @PostConstruct
  void start() {
    writer = new BatchWriter<>("uplink-outbox-acceptor", MAX_GROUP, threads, this::record);
    writer.start();
  }

  /**
   * Makes the container create this bean, and so start its writer, as the application starts, not
   * on the first send.
   */
  void startWithTheApplication(
      @Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    LOG.fine(() -> writer.name() + " started");
  }

  @PreDestroy
  void stop() {
    writer.stop().forEach(waiting -> waiting.done().completeExceptionally(stopping()));
  }

  /**
   * Records the message in the outbox with whatever else waits, and returns once it is committed.
   *
   * @throws RuntimeException what recording it in a transaction of its own throws (a {@code
   *     message_id} the sender used before), or {@link IllegalStateException} when the application
   *     stops first
   */
  void accept(Outbound message) {
    if (!writer.isRunning()) {
      throw stopping();
    }
    Waiting waiting = new Waiting(message, new CompletableFuture<>());
    writer.add(waiting);
    try {
      waiting.done().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the outbox recorded " + message, e);
    }
  }

  /** One transaction for the group; when it fails, one for each of its messages. */
  private void record(List<Waiting> group) {
    try {
      outbox.acceptAll(group.stream().map(Waiting::message).toList());
      group.forEach(waiting -> waiting.done().complete(null));
      return;
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        group.get(0).done().completeExceptionally(e);
        return;
      }
    }
    for (Waiting waiting : group) {
      try {
        outbox.acceptAll(List.of(waiting.message()));
        waiting.done().complete(null);
      } catch (RuntimeException e) {
        waiting.done().completeExceptionally(e);
      }
    }
  }

  private static IllegalStateException stopping() {
    return new IllegalStateException("the application is stopping; the message was not accepted");
  }

  /** A message to record and the caller waiting for it. */
  private record Waiting(Outbound message, CompletableFuture<Void> done) {}
}
