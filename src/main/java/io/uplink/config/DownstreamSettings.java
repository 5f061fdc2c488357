package io.uplink.config;

import java.time.Duration;

/**
 * How downstream messages are sent (ccs-protocol.md §3.4, §4.1). Immutable.
 *
 * @param window unanswered messages allowed per connection (CCS: 100)
 * @param sendTimeout how long a caller waits for room in a window before its send completes {@code
 *     TIMED_OUT}; the message itself stays pending
 * @param maxRetries retries of a message nacked with a retryable code before it fails
 * @param retryInitial first backoff of a retry (CCS asks for 1 s), doubled each time
 * @param retryMax longest backoff, of a retry and of a sender-wide pause
 * @param retryAfterMax the longest {@code Retry-After} honoured: FCM asking for longer waits this
 * @param maxPending the most messages a sender may have pending on this instance: beyond it, sends
 *     are refused with {@link io.uplink.api.BacklogFullException}
 * @param memoryWindow the most pending messages of a sender held in memory; the rest wait in the
 *     outbox and are paged in by order as the window empties
 * @param rescanInterval how often the outbox is searched from its start for pending messages of
 *     this instance that memory does not hold (committed after the pages passed them, or lost track
 *     of), which are then sent; and at least how often it is searched for messages of instances no
 *     longer alive, besides when one is seen to stop
 */
public record DownstreamSettings(
    int window,
    Duration sendTimeout,
    int maxRetries,
    Duration retryInitial,
    Duration retryMax,
    Duration retryAfterMax,
    int maxPending,
    int memoryWindow,
    Duration rescanInterval) {}
