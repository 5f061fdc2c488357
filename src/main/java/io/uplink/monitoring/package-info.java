/**
 * What operators see: JMX MXBeans over the upstream counters and the connection slots. It reads
 * state and changes nothing.
 */
package io.uplink.monitoring;
