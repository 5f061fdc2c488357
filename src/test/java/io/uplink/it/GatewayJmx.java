package io.uplink.it;

import java.io.IOException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the gateway's MBeans over remote JMX, as an operator's tool would. Payara Micro is started
 * with the JMX port {@link ForkJmxPort} chose for this test JVM ({@code uplink.it.jmxPort}).
 */
final class GatewayJmx implements AutoCloseable {

  private final JMXConnector connector;
  private final MBeanServerConnection server;

  private GatewayJmx(JMXConnector connector) throws IOException {
    this.connector = connector;
    this.server = connector.getMBeanServerConnection();
  }

  static GatewayJmx connect() throws IOException {
    return connect(Integer.parseInt(System.getProperty("uplink.it.jmxPort")));
  }

  static GatewayJmx connect(int port) throws IOException {
    JMXServiceURL url =
        new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    return new GatewayJmx(JMXConnectorFactory.connect(url));
  }

  static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (Exception e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  long upstream(String attribute) throws Exception {
    return ((Number) server.getAttribute(new ObjectName("uplink:type=Upstream"), attribute))
        .longValue();
  }

  /** Messages waiting in the delivery lanes; for polling, so failures are assertion errors. */
  int upstreamBacklog() {
    try {
      return (int) upstream("Backlog");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** An upstream total, for polling, so failures are assertion errors. */
  long upstreamTotal(String attribute) {
    try {
      return upstream(attribute);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A downstream total, for polling, so failures are assertion errors. */
  long downstreamTotal(String attribute) {
    try {
      return downstream(attribute);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** One row of the {@code RejectedByReason} map, which JMX carries as tabular data. */
  long rejectedByReason(String reason) throws Exception {
    TabularData table =
        (TabularData)
            server.getAttribute(new ObjectName("uplink:type=Upstream"), "RejectedByReason");
    CompositeData row = table.get(new Object[] {reason});
    return ((Number) row.get("value")).longValue();
  }

  long downstreamNackedByCode(String code) throws Exception {
    TabularData table =
        (TabularData) server.getAttribute(new ObjectName("uplink:type=Downstream"), "NackedByCode");
    CompositeData row = table.get(new Object[] {code});
    return row == null ? 0 : ((Number) row.get("value")).longValue();
  }

  long downstream(String attribute) throws Exception {
    return ((Number) server.getAttribute(new ObjectName("uplink:type=Downstream"), attribute))
        .longValue();
  }

  String connectionState(String senderId, int index) throws Exception {
    return (String)
        server.getAttribute(
            new ObjectName("uplink:type=Connection,sender=" + senderId + ",name=" + index),
            "State");
  }

  Object connection(String senderId, int index, String attribute) throws Exception {
    return server.getAttribute(connectionName(senderId, index), attribute);
  }

  Object attribute(String objectName, String attribute) throws Exception {
    return server.getAttribute(new ObjectName(objectName), attribute);
  }

  /** Invokes a no-argument operation, as jconsole's Operations tab does. */
  void invoke(ObjectName name, String operation) throws Exception {
    server.invoke(name, operation, new Object[0], new String[0]);
  }

  static ObjectName connectionName(String senderId, int index) throws Exception {
    return new ObjectName("uplink:type=Connection,sender=" + senderId + ",name=" + index);
  }

  /** Heap in use right now, in bytes. */
  long heapUsed() throws Exception {
    CompositeData usage =
        (CompositeData)
            server.getAttribute(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage");
    return ((Number) usage.get("used")).longValue();
  }

  /** CPU time the whole JVM has used since it started (every thread, GC and JIT included). */
  long processCpuNanos() throws Exception {
    return ((Number)
            server.getAttribute(new ObjectName("java.lang:type=OperatingSystem"), "ProcessCpuTime"))
        .longValue();
  }

  /** Heap bytes every thread of the JVM has allocated since it started. */
  long allocatedBytes() throws Exception {
    return ((Number)
            server.getAttribute(
                new ObjectName("java.lang:type=Threading"), "TotalThreadAllocatedBytes"))
        .longValue();
  }

  /** Milliseconds all garbage collectors have run since the JVM started. */
  long gcMillis() throws Exception {
    long total = 0;
    for (ObjectName collector :
        server.queryNames(new ObjectName("java.lang:type=GarbageCollector,*"), null)) {
      total += ((Number) server.getAttribute(collector, "CollectionTime")).longValue();
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    connector.close();
  }
}
