package io.uplink.monitoring;

import io.uplink.xmpp.ManagedConnection;
import io.uplink.xmpp.SlotLifecycleListener;
import jakarta.enterprise.context.ApplicationScoped;
import javax.management.ObjectName;

/**
 * Publishes one {@code uplink:type=Connection,sender=<id>,name=<n>} MXBean per connection slot
 * while the slot exists. Thread-safe.
 */
@ApplicationScoped
public class ConnectionStats implements SlotLifecycleListener {

  @Override
  public void slotOpened(ManagedConnection slot) {
    MBeans.register(new ConnectionSlotView(slot), nameOf(slot));
  }

  @Override
  public void slotClosed(ManagedConnection slot) {
    MBeans.unregister(nameOf(slot));
  }

  static ObjectName nameOf(ManagedConnection slot) {
    return MBeans.name(
        "uplink:type=Connection,sender=" + slot.senderId() + ",name=" + slot.index());
  }
}
