package io.uplink.upstream;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One worker thread with its own queue. All messages of one device go to the same lane, so they are
 * delivered in the order they arrived and two copies of one message never race each other in this
 * instance. The queue is unbounded on purpose: CCS stops sending upstream messages while too many
 * are unacked (ccs-protocol.md §4.2), which bounds it, and the XMPP reader thread must never block.
 * Thread-safe; started once and stopped once.
 */
final class DeliveryLane {

  private static final Logger LOG = Logger.getLogger(DeliveryLane.class.getName());

  private static final long POLL_MILLIS = 200;

  private record Work(UpstreamMessage message, Acknowledger acknowledger) {}

  private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
  private final UpstreamProcessor processor;
  private final Thread thread;
  private volatile boolean running = true;

  DeliveryLane(String name, UpstreamProcessor processor, ThreadFactory threads) {
    this.processor = processor;
    this.thread = threads.newThread(this::run);
    this.thread.setName(name);
  }

  void start() {
    thread.start();
  }

  void submit(UpstreamMessage message, Acknowledger acknowledger) {
    queue.add(new Work(message, acknowledger));
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  int backlog() {
    return queue.size();
  }

  /**
   * Stops after the message in hand; queued messages stay unacked, so CCS redelivers them to the
   * next connection. The thread is not interrupted: an interrupt inside a JDBC call can close an
   * embedded database's file.
   */
  void stop(long timeoutMillis) throws InterruptedException {
    running = false;
    thread.join(timeoutMillis);
  }

  private void run() {
    while (running) {
      Work work;
      try {
        work = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (work != null) {
        process(work);
      }
    }
  }

  private void process(Work work) {
    try {
      processor.process(work.message(), work.acknowledger());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Unexpected failure delivering " + work.message(), e);
    }
  }
}
