package io.uplink.xmpp;

/** Where a connection slot is in its life, as operators see it over JMX. */
public enum ConnectionState {
  /**
   * Not opened by this instance: before it is assigned at start, or while another instance holds
   * its lease (clustered).
   */
  STANDBY,
  /** Opening TLS, authenticating and binding. */
  CONNECTING,
  /** Authenticated and bound: upstream messages flow. */
  CONNECTED,
  /** The last attempt failed before authentication; waiting before the next one. */
  BACKING_OFF,
  /** Shut down with the application. */
  CLOSED
}
