package io.uplink.downstream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
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
  private static final Duration POLL = Duration.ofMillis(200);

  @Inject Outbox outbox;

  @Resource ManagedThreadFactory threads;

  private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
  private Thread writer;
  private volatile boolean running = true;

  @PostConstruct
  void start() {
    writer = threads.newThread(this::write);
    writer.setName("uplink-outbox-acceptor");
    writer.start();
  }

  /**
   * Makes the container create this bean, and so start its writer, as the application starts, not
   * on the first send.
   */
  void startWithTheApplication(
      @Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    LOG.fine(() -> writer.getName() + " started");
  }

  @PreDestroy
  void stop() {
    running = false;
    try {
      writer.join(POLL.toMillis() * 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Waiting waiting = queue.poll(); waiting != null; waiting = queue.poll()) {
      waiting.done().completeExceptionally(stopping());
    }
  }

  /**
   * Records the message in the outbox with whatever else waits, and returns once it is committed.
   *
   * @throws RuntimeException what recording it in a transaction of its own throws (a {@code
   *     message_id} the sender used before), or {@link IllegalStateException} when the application
   *     stops first
   */
  void accept(Outbound message) {
    Waiting waiting = new Waiting(message, new CompletableFuture<>());
    if (!running) {
      throw stopping();
    }
    queue.add(waiting);
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

  private void write() {
    List<Waiting> group = new ArrayList<>(MAX_GROUP);
    while (running) {
      try {
        Waiting first = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        record(group);
      } catch (InterruptedException e) {
        // The container interrupts its managed threads as the application starts to stop, before
        // the graceful stop has waited for this one: it ends when stop() says so, not before.
        LOG.fine("Interrupted; the outbox acceptor goes on until the application stops");
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "The outbox acceptor failed; it goes on", e);
        group.forEach(waiting -> waiting.done().completeExceptionally(e));
      } finally {
        group.clear();
      }
    }
  }

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
