package io.uplink;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The gateway's database. By default an embedded H2 file under {@code ./uplink-data}; {@code
 * uplink.datasource.*} (MicroProfile Config, so also {@code UPLINK_DATASOURCE_URL} and friends)
 * point it elsewhere, for example at a PostgreSQL database several instances share.
 */
@ApplicationScoped
@DataSourceDefinition(
    name = "java:app/jdbc/uplink",
    className = "${MPCONFIG=uplink.datasource.class-name}",
    url = "${MPCONFIG=uplink.datasource.url}",
    user = "${MPCONFIG=uplink.datasource.user}",
    password = "${MPCONFIG=uplink.datasource.password}",
    minPoolSize = 2,
    maxPoolSize = 32)
public class UplinkDataSource {}
