package io.uplink.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.Context;

/**
 * Version 2: an outbox message may be {@code CANCELLED}. Version 1's check constraint on the
 * status, unnamed and so named differently on each database (and on each H2 file), listed the
 * statuses before that one; it is looked up, dropped, and a named one with every status put in its
 * place. Java rather than SQL because only the lookup finds the old name on H2. Stateless.
 */
final class OutboxCancelledStatus extends NumberedJavaMigration {

  private static final String OLD_CHECKS =
      "select tc.constraint_name from information_schema.table_constraints tc"
          + " join information_schema.check_constraints cc"
          + " on cc.constraint_schema = tc.constraint_schema"
          + " and cc.constraint_name = tc.constraint_name"
          + " where lower(tc.table_name) = 'uplink_outbox' and tc.table_schema = current_schema"
          + " and tc.constraint_type = 'CHECK' and lower(cc.check_clause) like '%pending%'";

  OutboxCancelledStatus() {
    super(2, "outbox status CANCELLED");
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    try (Statement statement = connection.createStatement()) {
      for (String name : oldChecks(statement)) {
        statement.execute(
            "alter table uplink_outbox drop constraint \"" + name.replace("\"", "\"\"") + "\"");
      }
      statement.execute(
          "alter table uplink_outbox add constraint ck_outbox_status check (status in"
              + " ('PENDING', 'ACKED', 'NACKED', 'FAILED', 'EXPIRED', 'CANCELLED'))");
    }
  }

  private static List<String> oldChecks(Statement statement) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet found = statement.executeQuery(OLD_CHECKS)) {
      while (found.next()) {
        names.add(found.getString(1));
      }
    }
    return names;
  }
}
