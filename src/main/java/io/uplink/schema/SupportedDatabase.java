package io.uplink.schema;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The databases Uplink's own SQL is written for: H2 embedded (one instance) and PostgreSQL (one
 * instance or several). Where that SQL differs between them (the schema scripts' placeholders, the
 * de-duplication statement), the code switches on this, so a third database is refused in one
 * place, with its name, instead of failing later on a statement it does not understand.
 */
public enum SupportedDatabase {
  H2("H2", "clob"),
  POSTGRESQL("PostgreSQL", "text");

  private final String productName;
  private final String longText;

  SupportedDatabase(String productName, String longText) {
    this.productName = productName;
    this.longText = longText;
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
