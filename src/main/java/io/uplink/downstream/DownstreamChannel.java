package io.uplink.downstream;

/**
 * Somewhere a sender's downstream messages can be written: one CCS connection, or the sender's HTTP
 * v1 client. Each has bounded room (a connection's window, HTTP v1's requests in flight) and
 * reports every answer to {@link DownstreamOutcomes}. Implementations are thread-safe.
 */
public interface DownstreamChannel {

  /**
   * Writes the message if there is room now, without blocking.
   *
   * @return false when there is no room (or the channel is down): the dispatcher tries another
   *     channel or waits for a {@link SendRoom} signal
   */
  boolean trySend(Outbound message);
}
