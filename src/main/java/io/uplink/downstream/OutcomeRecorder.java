package io.uplink.downstream;

import io.uplink.stats.GatewayCounters;
import io.uplink.stats.Total;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records how downstream messages ended in the outbox, then completes their callers' stages and
 * hands their token events to the application. One writer thread takes the ends as the transports
 * report them and records up to {@value #MAX_BATCH} in one transaction, so that the outbox commits
 * once per batch of answers rather than once per answer; completions and events run on threads of
 * {@link CountedExecution}, so that a slow application callback holds up the writer (or the thread
 * handing a completion over) only once {@value #SETTLING_THREADS} of them are busy and {@value
 * #SETTLING_WAITING} more wait (a callback must not wait for the result of another send: it may be
 * what that thread is to record or send). A batch that cannot be recorded is recorded message by
 * message, each tried again after a backoff for as long as the application runs; the caller learns
 * the outcome only once it is recorded, and a stop before then leaves the message pending, to be
 * sent again after the restart. Thread-safe; the writer runs from the application's start to its
 * stop.
 */
@ApplicationScoped
public class OutcomeRecorder {

  private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class.getName());
  private static final int MAX_BATCH = 256;

  /**
   * Threads that complete callers' stages and hand on token events: each slow callback holds one.
   */
  private static final int SETTLING_THREADS = 16;

  /** Completions and events waiting for those threads, beyond which the writer runs them itself. */
  private static final int SETTLING_WAITING = 10_000;

  private static final Duration RETRY_FIRST = Duration.ofMillis(100);
  private static final Duration RETRY_LONGEST = Duration.ofSeconds(5);

  /** A failure to record is logged as a warning the first time and every so many times after. */
  private static final int WARN_EVERY = 12;

  @Inject Outbox outbox;
  @Inject GatewayCounters counters;
  @Inject TokenEventRelay tokenEvents;
  @Inject DownstreamQueue queue;

  @Resource ManagedThreadFactory threads;

  /** Ends handed over and not yet recorded in a batch, or handed on to {@link #settling}. */
  private final AtomicInteger unrecorded = new AtomicInteger();

  private CountedExecution settling;
  private BatchWriter<MessageEnd> writer;

  @PostConstruct
  void start() {
    settling = new CountedExecution(threads, SETTLING_THREADS, SETTLING_WAITING);
    writer = new BatchWriter<>("uplink-outbox-writer", MAX_BATCH, threads, this::recordBatch);
    writer.start();
  }

  /**
   * Makes the container create this bean, and so start its writer, as the application starts: the
   * first answers may come during a graceful stop, too late to start a thread.
   */
  void startWithTheApplication(
      @Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    LOG.fine(() -> writer.name() + " started");
  }

  @PreDestroy
  void stop() {
    List<MessageEnd> left = writer.stop();
    if (!left.isEmpty()) {
      LOG.warning(
          left.size()
              + " downstream answer(s) not recorded, the application is stopping: their messages"
              + " stay pending and are sent again after the restart");
    }
    settling.stop();
  }

  /** Records the end, then tells the caller and hands on the token event. */
  void record(MessageEnd end) {
    unrecorded.incrementAndGet();
    writer.add(end);
  }

  /** Runs a completion that needs no record (a caller's wait timed out) off the caller's thread. */
  void complete(Runnable completion) {
    settling.run(completion);
  }

  /**
   * Waits until every end handed over so far is recorded and its caller told, or until {@code
   * deadlineNanos} ({@link System#nanoTime()}).
   *
   * @return whether everything was recorded
   */
  boolean awaitRecorded(long deadlineNanos) throws InterruptedException {
    while (unrecorded.get() > 0) {
      if (System.nanoTime() - deadlineNanos > 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return settling.awaitFinished(deadlineNanos);
  }

  /** One transaction for the batch; on failure, each message by itself. */
  private void recordBatch(List<MessageEnd> batch) {
    try {
      recordTogether(batch);
    } finally {
      unrecorded.addAndGet(-batch.size());
    }
  }

  private void recordTogether(List<MessageEnd> batch) {
    List<Optional<Long>> events;
    try {
      events = outbox.settle(batch);
    } catch (RuntimeException e) {
      LOG.log(
          Level.FINE,
          "Could not record a batch of " + batch.size() + " downstream end(s); one by one now",
          e);
      batch.forEach(end -> settling.run(() -> recordAlone(end, 0)));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      MessageEnd end = batch.get(i);
      queue.ended(end.message());
      Optional<Long> event = events.get(i);
      settling.run(() -> told(end, event));
    }
  }

  /**
   * One attempt at recording one end. One that fails (the database unreachable, the row locked) is
   * tried again after a backoff without holding a thread.
   */
  private void recordAlone(MessageEnd end, int failures) {
    Optional<Long> event;
    try {
      event = outbox.settle(List.of(end)).get(0);
    } catch (RuntimeException e) {
      counters.count(Total.DOWNSTREAM_RECORD_RETRIES, end.message().senderId());
      Duration delay = RETRY_FIRST.multipliedBy(1L << Math.min(failures, 10));
      Duration wait = delay.compareTo(RETRY_LONGEST) > 0 ? RETRY_LONGEST : delay;
      LOG.log(
          failures % WARN_EVERY == 0 ? Level.WARNING : Level.FINE,
          "Could not record that "
              + end.message()
              + " ended "
              + end.status()
              + "; trying again in "
              + wait.toMillis()
              + " ms (attempt "
              + (failures + 1)
              + "), its caller waits until it is recorded",
          e);
      settling.runAfter(wait, () -> recordAlone(end, failures + 1));
      return;
    }
    queue.ended(end.message());
    if (failures > 0) {
      LOG.info(
          "Recorded that "
              + end.message()
              + " ended "
              + end.status()
              + " after "
              + failures
              + " failed attempt(s)");
    }
    told(end, event);
  }

  private void told(MessageEnd end, Optional<Long> event) {
    end.message().result().complete(end.result());
    event.ifPresent(tokenEvents::attempt);
  }
}
