package io.uplink.monitoring;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers and unregisters MXBeans on the platform MBean server, replacing a stale registration
 * left by an earlier deployment. Stateless and thread-safe.
 */
final class MBeans {

  private static final Logger LOG = Logger.getLogger(MBeans.class.getName());

  private MBeans() {}

  static void register(Object mxBean, ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
      server.registerMBean(mxBean, name);
    } catch (JMException e) {
      LOG.log(Level.WARNING, "Could not register MBean " + name, e);
    }
  }

  static void unregister(ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (JMException e) {
      LOG.log(Level.WARNING, "Could not unregister MBean " + name, e);
    }
  }

  static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (JMException e) {
      throw new IllegalArgumentException(name, e);
    }
  }
}
