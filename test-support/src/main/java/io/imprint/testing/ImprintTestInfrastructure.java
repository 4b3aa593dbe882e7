package io.imprint.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The one test resource every service test uses: a real broker (mutual TLS and ACLs, the service connecting
 * with its own identity from the test token's service CA), a real database and a real token. Dev Services stay
 * off (they need Docker). Nothing is stopped at the end: the broker is shared by the modules of one build and
 * stopped by the test script.
 */
public class ImprintTestInfrastructure implements QuarkusTestResourceLifecycleManager {
    /** Init argument: set to "true" by services that own a database schema. */
    public static final String DATABASE = "database";
    /**
     * Init argument: the database role the service runs as, when it is not the schema owner (audit, whose
     * log its role may only read and append); migrations still run as the owner.
     */
    public static final String DATABASE_ROLE = "database-role";
    /** Init argument: set to "true" by csr-intake, which trusts the test secure-element vendor. */
    public static final String VENDORS = "vendors";

    private boolean database;
    private String databaseRole;
    private boolean vendors;

    @Override
    public void init(Map<String, String> initArgs) {
        database = Boolean.parseBoolean(initArgs.getOrDefault(DATABASE, "false"));
        databaseRole = initArgs.get(DATABASE_ROLE);
        vendors = Boolean.parseBoolean(initArgs.getOrDefault(VENDORS, "false"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.putAll(TestToken.quarkusConfig());
        Path certs = TestToken.certificates();
        config.put(
                "imprint.event-plane.identity",
                TestIdentities.file(serviceUnderTest()).toString());
        config.put("imprint.event-plane.service-ca", TestIdentities.serviceCa().toString());
        config.put(
                "imprint.event-plane.issuing-cas",
                certs.resolve("issuing-ca.pem") + "," + certs.resolve(TestToken.ISSUING_CA_2 + ".pem"));
        config.put(
                "imprint.audit.ceremony-roots",
                certs.resolve("root-ca.pem") + "," + certs.resolve("infrastructure-root-ca.pem"));
        config.putAll(TestOperators.quarkusConfig());
        if (database) {
            config.putAll(TestDatabase.quarkusConfig());
            if (databaseRole != null) {
                config.put("quarkus.datasource.username", databaseRole);
                config.put("quarkus.datasource.password", "");
            }
        }
        if (vendors) {
            config.putAll(TestVendors.quarkusConfig());
        }
        config.put("quarkus.devservices.enabled", "false");
        return config;
    }

    /** The module's own service name ({@code quarkus.application.name}): tests run in the module's folder. */
    private static String serviceUnderTest() {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service's application.properties", e);
        }
        return properties.getProperty("quarkus.application.name");
    }

    @Override
    public void stop() {
        // Shared across test classes and modules; see the class comment.
    }
}
