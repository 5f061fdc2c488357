package io.uplink.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The databases Uplink's own SQL is written for: H2 embedded (one instance) and PostgreSQL (one
 * instance or several). Where that SQL differs between them (the schema scripts' placeholders, the
 * de-duplication statement), the code switches on this, so a third database is refused in one
 * place, with its name, instead of failing later on a statement it does not understand.
 */
public enum SupportedDatabase {
  /** H2 waits its LOCK_TIMEOUT for a row lock by itself. */
  H2("H2", "clob", null),
  POSTGRESQL("PostgreSQL", "text", "SET LOCAL lock_timeout = '5s'");

  private final String productName;
  private final String longText;
  private final String boundedLockWait;

  SupportedDatabase(String productName, String longText, String boundedLockWait) {
    this.productName = productName;
    this.longText = longText;
    this.boundedLockWait = boundedLockWait;
  }

  /**
   * Makes the rest of the connection's transaction give up on a row lock after a few seconds
   * instead of waiting for ever (PostgreSQL's default), so that one row another session holds
   * cannot stall a writer that serves every message.
   */
  public void boundLockWaits(Connection connection) throws SQLException {
    if (boundedLockWait != null) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(boundedLockWait);
      }
    }
  }

  /** Its type for unbounded text, the one Hibernate maps long strings to. */
  String longText() {
    return longText;
  }

  /**
   * The database the connection is to.
   *
   * @throws IllegalStateException when it is neither H2 nor PostgreSQL
   */
  public static SupportedDatabase of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    for (SupportedDatabase database : values()) {
      if (database.productName.equals(product)) {
        return database;
      }
    }
    throw new IllegalStateException("Uplink runs on H2 or PostgreSQL, not " + product);
  }
}
