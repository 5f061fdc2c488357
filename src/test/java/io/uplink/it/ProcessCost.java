package io.uplink.it;

/**
 * What one JVM spent per message over a run: CPU time (every thread, GC and JIT included) and heap
 * allocated, from its own JMX. Immutable.
 *
 * @param cpuMicros CPU microseconds per message
 * @param allocatedKib KiB allocated per message
 */
record ProcessCost(double cpuMicros, double allocatedKib) {

  /** The JVM's running totals at one moment. */
  record Reading(long cpuNanos, long allocatedBytes) {

    static Reading of(GatewayJmx jmx) throws Exception {
      return new Reading(jmx.processCpuNanos(), jmx.allocatedBytes());
    }
  }

  /** The cost per message since {@code before}. */
  static ProcessCost since(Reading before, GatewayJmx jmx, long messages) throws Exception {
    Reading now = Reading.of(jmx);
    long count = Math.max(1, messages);
    return new ProcessCost(
        (now.cpuNanos() - before.cpuNanos()) / 1_000.0 / count,
        (now.allocatedBytes() - before.allocatedBytes()) / 1024.0 / count);
  }
}
