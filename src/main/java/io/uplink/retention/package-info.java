/**
 * Retention: the scheduled purge that keeps the gateway's tables bounded, deleting finished records
 * in small transactions after their configured retention.
 */
package io.uplink.retention;
