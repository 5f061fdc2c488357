package io.uplink.upstream;

import io.uplink.ccs.AckKey;

/**
 * Sends an ack on the connection a message came in on (ccs-protocol.md §3.7: acks are only valid on
 * that connection). Implemented by the XMPP layer, one per connection; it must be safe to call from
 * any thread.
 */
@FunctionalInterface
public interface Acknowledger {

  /**
   * Sends the ack.
   *
   * @return false when the connection is gone, in which case CCS redelivers the message later
   */
  boolean ack(AckKey key);

  /**
   * Tells the connection that the message stays unacked for CCS to redeliver (its delivery failed,
   * or there was no room for it), rather than still being in the gateway's hands: a connection
   * whose every unacked message was given back receives nothing more (ccs-protocol.md §4.2).
   */
  default void leftUnacked(AckKey key) {}
}
