package io.uplink.schema;

import java.util.Locale;
import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.model.relational.Sequence;
import org.hibernate.mapping.Table;
import org.hibernate.tool.schema.spi.SchemaFilter;
import org.hibernate.tool.schema.spi.SchemaFilterProvider;

/**
 * Splits the persistence unit's tables between their two keepers: Uplink's own ({@code uplink_*}),
 * which Flyway migrates and Hibernate only validates, and the application's entities, which
 * Hibernate's {@code update} still creates and extends. Named in {@code persistence.xml} ({@code
 * hibernate.hbm2ddl.schema_filter_provider}). Stateless.
 */
public class UplinkTables implements SchemaFilterProvider {

  /** The prefix of every table and sequence Uplink owns. */
  static final String PREFIX = "uplink_";

  private static final SchemaFilter UPLINK_ONLY = new ByPrefix(true);
  private static final SchemaFilter APPLICATION_ONLY = new ByPrefix(false);

  @Override
  public SchemaFilter getCreateFilter() {
    return APPLICATION_ONLY;
  }

  @Override
  public SchemaFilter getDropFilter() {
    return APPLICATION_ONLY;
  }

  @Override
  public SchemaFilter getTruncatorFilter() {
    return APPLICATION_ONLY;
  }

  @Override
  public SchemaFilter getMigrateFilter() {
    return APPLICATION_ONLY;
  }

  @Override
  public SchemaFilter getValidateFilter() {
    return UPLINK_ONLY;
  }

  static boolean owned(String name) {
    return name.toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }

  /** Keeps the tables and sequences whose name has Uplink's prefix, or those that have not. */
  private record ByPrefix(boolean uplink) implements SchemaFilter {

    @Override
    public boolean includeNamespace(Namespace namespace) {
      return true;
    }

    @Override
    public boolean includeTable(Table table) {
      return owned(table.getName()) == uplink;
    }

    @Override
    public boolean includeSequence(Sequence sequence) {
      return owned(sequence.getName().getSequenceName().getText()) == uplink;
    }
  }
}
