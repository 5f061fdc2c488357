package io.uplink.upstream;

import io.uplink.schema.KeyDigest;
import io.uplink.schema.SupportedDatabase;

/**
 * The statement that records one upstream message unless its de-duplication record exists, and
 * tells which by its update count (1: recorded now, 0: recorded before): H2's standard {@code
 * MERGE}, PostgreSQL's {@code INSERT … ON CONFLICT DO NOTHING}, which waits for another instance's
 * uncommitted record of the same key and then skips it if that committed. Both find the key by its
 * {@link KeyDigest}. Parameters: id, key digest, sender ID, device, message id, category, time
 * received. The id comes from Hibernate's generator of the entity, which takes a block of ids per
 * sequence call: a sequence call per row would cost H2 a store of its file every few dozen rows.
 */
enum DedupInsert {
  H2(
      """
      merge into uplink_received r
      using (values (cast(? as bigint), cast(? as varbinary))) k (id, key_digest)
      on r.key_digest = k.key_digest
      when not matched then
        insert (id, key_digest, sender_id, device, message_id, category, received_at)
        values (k.id, k.key_digest, ?, ?, ?, ?, ?)
      """),
  POSTGRESQL(
      """
      insert into uplink_received
        (id, key_digest, sender_id, device, message_id, category, received_at)
      values (?, ?, ?, ?, ?, ?, ?)
      on conflict (key_digest) do nothing
      """);

  private final String sql;

  DedupInsert(String sql) {
    this.sql = sql;
  }

  String sql() {
    return sql;
  }

  /** The statement for the database. */
  static DedupInsert of(SupportedDatabase database) {
    return switch (database) {
      case H2 -> H2;
      case POSTGRESQL -> POSTGRESQL;
    };
  }
}
