package io.uplink.xmpp;

/**
 * Told when the pool's connections come and go, so that monitoring can publish them without the
 * pool depending on a monitoring library. Implementations are CDI beans; calls come from the
 * application's start-up and shutdown threads.
 */
public interface ConnectionLifecycleListener {

  void connectionOpened(ManagedConnection connection);

  void connectionClosed(ManagedConnection connection);
}
