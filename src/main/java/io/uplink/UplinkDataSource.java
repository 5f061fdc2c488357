package io.uplink;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The gateway's database. By default an embedded H2 file under {@code ./uplink-data}; {@code
 * uplink.datasource.*} (MicroProfile Config, so also {@code UPLINK_DATASOURCE_URL} and friends)
 * point it elsewhere, for example at a PostgreSQL database several instances share.
 *
 * <p>The pool checks a connection with a query before handing it out (at most once a second per
 * connection) and drops it when the query fails: a connection whose database went away (PostgreSQL
 * restarted, H2 closed its file when the disk filled up) would otherwise fail every transaction it
 * is given.
 */
@ApplicationScoped
@DataSourceDefinition(
    name = "java:app/jdbc/uplink",
    className = "${MPCONFIG=uplink.datasource.class-name}",
    url = "${MPCONFIG=uplink.datasource.url}",
    user = "${MPCONFIG=uplink.datasource.user}",
    password = "${MPCONFIG=uplink.datasource.password}",
    minPoolSize = 2,
    maxPoolSize = 32,
    properties = {
      "fish.payara.is-connection-validation-required=true",
      "fish.payara.connection-validation-method=table",
      "fish.payara.validation-table-name=information_schema.schemata",
      "fish.payara.validate-atmost-once-period-in-seconds=1"
    })
public class UplinkDataSource {}
