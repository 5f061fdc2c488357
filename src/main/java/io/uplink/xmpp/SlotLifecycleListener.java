package io.uplink.xmpp;

/**
 * Told when connection slots come and go, so that monitoring can publish them without the pool
 * depending on a monitoring library. Implementations are CDI beans; calls come from the
 * application's start-up and shutdown threads.
 */
public interface SlotLifecycleListener {

  void slotOpened(ManagedConnection slot);

  void slotClosed(ManagedConnection slot);
}
