package io.imprint.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The one test resource every service test uses: a real broker, a real database and a real token. Dev
 * Services stay off (they need Docker). Nothing is stopped at the end: the broker is shared by the modules
 * of one build and stopped by the test script.
 */
public class ImprintTestInfrastructure implements QuarkusTestResourceLifecycleManager {
    /** Init argument: set to "true" by services that own a database schema. */
    public static final String DATABASE = "database";
    /** Init argument: set to "true" by csr-intake, which trusts the test secure-element vendor. */
    public static final String VENDORS = "vendors";
    private boolean database;
    private boolean vendors;

    @Override
    public void init(Map<String, String> initArgs) {
        database = Boolean.parseBoolean(initArgs.getOrDefault(DATABASE, "false"));
        vendors = Boolean.parseBoolean(initArgs.getOrDefault(VENDORS, "false"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        if (database) {
            config.putAll(TestDatabase.quarkusConfig());
        }
        if (vendors) {
            config.putAll(TestVendors.quarkusConfig());
        }
        config.putAll(TestToken.quarkusConfig());
        config.put("quarkus.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // Shared across test classes and modules; see the class comment.
    }
}
