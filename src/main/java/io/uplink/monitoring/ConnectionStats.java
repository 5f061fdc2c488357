package io.uplink.monitoring;

import io.uplink.xmpp.ConnectionLifecycleListener;
import io.uplink.xmpp.ManagedConnection;
import jakarta.enterprise.context.ApplicationScoped;
import javax.management.ObjectName;

/**
 * Publishes one {@code uplink:type=Connection,sender=<id>,name=<n>} MXBean per connection of the
 * pool while it exists. Thread-safe.
 */
@ApplicationScoped
public class ConnectionStats implements ConnectionLifecycleListener {

  @Override
  public void connectionOpened(ManagedConnection connection) {
    MBeans.register(new ConnectionView(connection), nameOf(connection));
  }

  @Override
  public void connectionClosed(ManagedConnection connection) {
    MBeans.unregister(nameOf(connection));
  }

  static ObjectName nameOf(ManagedConnection connection) {
    return MBeans.name(
        "uplink:type=Connection,sender=" + connection.senderId() + ",name=" + connection.index());
  }
}
