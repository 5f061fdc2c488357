/**
 * The benchmark's application, deployed beside the gateway instead of the tests' one: an observer
 * whose cost the benchmark sets, and a resource that sends a burst of downstream messages.
 */
package io.uplink.it.bench;
