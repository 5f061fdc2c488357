package io.uplink.monitoring;

import io.uplink.xmpp.ConnectionListener;
import io.uplink.xmpp.ConnectionView;
import jakarta.enterprise.context.ApplicationScoped;
import javax.management.ObjectName;

/**
 * Publishes one {@code uplink:type=Connection,sender=<id>,name=<n>} MXBean per connection slot
 * while the slot exists. Thread-safe.
 */
@ApplicationScoped
public class ConnectionStats implements ConnectionListener {

  @Override
  public void slotOpened(ConnectionView slot) {
    MBeans.register(new ConnectionSlotView(slot), nameOf(slot));
  }

  @Override
  public void slotClosed(ConnectionView slot) {
    MBeans.unregister(nameOf(slot));
  }

  static ObjectName nameOf(ConnectionView slot) {
    return MBeans.name(
        "uplink:type=Connection,sender=" + slot.senderId() + ",name=" + slot.index());
  }
}
