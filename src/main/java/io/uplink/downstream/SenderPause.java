package io.uplink.downstream;

import io.uplink.config.DownstreamSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Whether one sender may send now. An answer about the sender as a whole rather than one message
 * (FCM or CCS unavailable or failing, the project over its quota, the sender's credentials refused,
 * no answer at all) pauses every send of the sender: for a backoff that doubles while pauses follow
 * each other, from {@code uplink.downstream.retry-initial} to {@code retry-max}, or as long as a
 * {@code Retry-After} asked, up to {@code retry-after-max}. When a pause ends, one message goes
 * first as a probe; the others follow once an answer shows that the sender is served again, and the
 * next, longer pause starts if it is not. Messages wait through pauses without spending their
 * retries, until their {@code time_to_live} runs out; the outbox keeps them meanwhile.
 *
 * <p>A failure that comes while other messages of the sender are being served (within {@link
 * #RECENTLY} of an answer that served one) is not about the sender: {@link #servedRecently} tells
 * the caller to treat it as a failure of that message instead.
 *
 * <p>Thread-safe: the sender's dispatcher asks {@link #mayTry}, then reports {@link #sending}
 * before it writes and {@link #notSent} when no channel took the message; the transports' threads
 * report answers.
 */
public final class SenderPause {

  private static final Logger LOG = Logger.getLogger(SenderPause.class.getName());

  /** How long a probe may go unanswered before another message is tried as the probe. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long a pause that ended still counts as one while its probe is not out yet: a dispatcher
   * with messages waiting sends the probe within it, so health and JMX do not flicker to "sending"
   * between one pause and the next.
   */
  static final Duration PROBE_DUE = Duration.ofSeconds(1);

  /** How recent an answer that served a message must be for a failure to be the message's own. */
  static final Duration RECENTLY = Duration.ofSeconds(1);

  private final String senderId;
  private final DownstreamSettings settings;
  private final LongSupplier nanoTime;

  private String reason;
  private int pausesInARow;
  private long pausedUntilNanos;
  private boolean probing;
  private long probeSentNanos;
  private long servedNanos;

  SenderPause(String senderId, DownstreamSettings settings, LongSupplier nanoTime) {
    this.senderId = senderId;
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.servedNanos = nanoTime.getAsLong() - RECENTLY.toNanos() - 1;
  }

  /**
   * Whether the dispatcher may try to send a message now: always while the sender is not paused;
   * once its pause has ended, one message at a time until an answer tells how the probe went.
   */
  public synchronized boolean mayTry() {
    return reason == null || !inForce(nanoTime.getAsLong());
  }

  /**
   * The dispatcher is about to write a message it was allowed to try: after a pause, that is the
   * probe. Called before the write, so that an answer faster than the dispatcher finds the probe
   * out.
   */
  public synchronized void sending() {
    if (reason != null) {
      probing = true;
      probeSentNanos = nanoTime.getAsLong();
    }
  }

  /** No channel took the message {@link #sending} announced: no probe is out after all. */
  public synchronized void notSent() {
    probing = false;
  }

  /** The connection that carried the probe closed before it was answered: another may go. */
  public synchronized void probeLost() {
    probing = false;
  }

  /**
   * An answer showed that the sender is served (an ack, or a refusal about one message): a pause
   * ends.
   */
  public synchronized void served() {
    servedNanos = nanoTime.getAsLong();
    if (reason == null) {
      return;
    }
    LOG.info(
        "Sender "
            + senderId
            + " is served again after "
            + pausesInARow
            + " pause(s) ("
            + reason
            + "); its waiting messages go out");
    reason = null;
    pausesInARow = 0;
    probing = false;
  }

  /**
   * Whether an answer served one of the sender's messages within {@link #RECENTLY}: a failure that
   * comes meanwhile is about its own message, not the sender.
   */
  public synchronized boolean servedRecently() {
    return nanoTime.getAsLong() - servedNanos - RECENTLY.toNanos() <= 0;
  }

  /**
   * An answer about the whole sender: pause it. A failure while a pause is in force (an answer to a
   * message sent before it) only lengthens it to what its {@code Retry-After} asks; one after the
   * pause ended (the probe's, or any other's) starts the next, longer pause.
   *
   * @param why what was answered, for health, JMX and the log; never a credential
   * @param retryAfter how long the answer asked to wait; zero when it did not say
   * @return whether a new pause started (rather than one in force lengthened)
   */
  public synchronized boolean pause(String why, Duration retryAfter) {
    long now = nanoTime.getAsLong();
    long asked = RetryBackoff.honoured(settings, retryAfter).toNanos();
    if (reason != null && now - pausedUntilNanos < 0) {
      pausedUntilNanos = Math.max(pausedUntilNanos - now, asked) + now;
      return false;
    }
    long backoff = RetryBackoff.after(settings, pausesInARow, 1).toNanos();
    pausesInARow++;
    reason = why;
    probing = false;
    pausedUntilNanos = now + Math.max(backoff, asked);
    Duration pause = Duration.ofNanos(pausedUntilNanos - now);
    LOG.warning(
        "Sender "
            + senderId
            + " pauses "
            + pause.toMillis()
            + " ms (pause "
            + pausesInARow
            + " in a row): "
            + why
            + "; its messages wait without spending their retries");
    return true;
  }

  /**
   * Why the sender is paused, while a pause is in force, its probe is due ({@link #PROBE_DUE}) or
   * out; empty while it sends, and once a pause has ended with no message to probe with (the next
   * failure starts a longer pause all the same).
   */
  public synchronized Optional<String> reason() {
    long now = nanoTime.getAsLong();
    boolean probeDue = now - pausedUntilNanos - PROBE_DUE.toNanos() < 0;
    return reason != null && (inForce(now) || probeDue) ? Optional.of(reason) : Optional.empty();
  }

  /** How much of the current pause is left; zero when a probe may go, or when not paused. */
  public synchronized Duration left() {
    long left = reason == null ? 0 : pausedUntilNanos - nanoTime.getAsLong();
    return Duration.ofNanos(Math.max(0, left));
  }

  /** A pause runs, or its probe is out and not yet overdue. */
  private boolean inForce(long now) {
    return now - pausedUntilNanos < 0
        || (probing && now - probeSentNanos - PROBE_TIMEOUT.toNanos() <= 0);
  }
}
