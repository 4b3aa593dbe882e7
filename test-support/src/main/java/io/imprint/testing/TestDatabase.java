package io.imprint.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The real PostgreSQL the tests use: {@code IMPRINT_DB_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}
 * if set, else 127.0.0.1:5432 as postgres (trust auth on our machines). Tests get their own database,
 * {@code imprint_test}, made afresh by each test JVM (each module's tests), so they never touch the demo's data
 * and every service starts on an empty database that its migrations build.
 */
public final class TestDatabase {
    public static final String NAME = "imprint_test";
    private static boolean created;

    private TestDatabase() {}

    public static synchronized Map<String, String> quarkusConfig() {
        String host = env("IMPRINT_DB_HOST", "127.0.0.1");
        String port = env("IMPRINT_DB_PORT", "5432");
        String user = env("IMPRINT_DB_USER", "postgres");
        String password = env("IMPRINT_DB_PASSWORD", "");
        if (!created) {
            createDatabase(host, port, user, password);
            created = true;
        }
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.datasource.reactive.url",
                "postgresql://" + host + ":" + port + "/" + NAME,
                "quarkus.datasource.jdbc.url",
                "jdbc:postgresql://" + host + ":" + port + "/" + NAME,
                "quarkus.datasource.username",
                user,
                "quarkus.datasource.password",
                password,
                "quarkus.flyway.username",
                user));
        if (!password.isEmpty()) { // else the service's own default, which loopback trust does not check
            config.put("quarkus.flyway.password", password);
        }
        return config;
    }

    public static Connection connect() throws SQLException {
        return connect(NAME);
    }

    /** A connection to another database of the same server, e.g. a system-test suite's. */
    public static Connection connect(String database) throws SQLException {
        return connectAs(database, env("IMPRINT_DB_USER", "postgres"), env("IMPRINT_DB_PASSWORD", ""));
    }

    /** A connection as another role, e.g. the one a service runs as. */
    public static Connection connectAs(String database, String user, String password) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + env("IMPRINT_DB_HOST", "127.0.0.1") + ":" + env("IMPRINT_DB_PORT", "5432") + "/"
                        + database,
                user,
                password);
    }

    private static void createDatabase(String host, String port, String user, String password) {
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            // Empty at the start of each test JVM: every service's tests start it on a database its migrations
            // build from nothing, and no earlier run's rows shape this one.
            s.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + NAME);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot reach PostgreSQL at " + host + ":" + port + " as " + user
                            + " (start it with: pg_ctlcluster 15 main start): " + e.getMessage(),
                    e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
