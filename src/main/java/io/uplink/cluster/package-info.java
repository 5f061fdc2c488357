/**
 * Several instances sharing one database: which of a sender's connections each instance keeps open,
 * decided with leases in that database, and which instances are alive, so that a survivor opens a
 * dead instance's connections and sends what it left in the outbox. A single instance uses the same
 * path and is assigned everything.
 */
package io.uplink.cluster;
