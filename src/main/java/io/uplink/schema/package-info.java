/**
 * Uplink's own tables: Flyway migrates them at start (scripts under {@code db/uplink}, history in
 * {@code uplink_schema_history}) before anything touches them, and Hibernate then validates them
 * against the entities. Hibernate's {@code update} is kept only for the tables of the application's
 * own entities, which share the persistence unit.
 */
package io.uplink.schema;
