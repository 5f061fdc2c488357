package io.uplink.schema;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * What every Java migration of Uplink's declares the same way: its version number, its description,
 * and a checksum that is the version number itself. A constant from the first release on, because a
 * checksum that was null and is set later fails Flyway's validation on every database already
 * migrated. Each runs in Flyway's transaction. Immutable.
 */
abstract class NumberedJavaMigration implements JavaMigration {

  private final int version;
  private final String description;

  NumberedJavaMigration(int version, String description) {
    this.version = version;
    this.description = description;
  }

  @Override
  public final MigrationVersion getVersion() {
    return MigrationVersion.fromVersion(String.valueOf(version));
  }

  @Override
  public final String getDescription() {
    return description;
  }

  @Override
  public final Integer getChecksum() {
    return version;
  }

  @Override
  public final boolean canExecuteInTransaction() {
    return true;
  }
}
