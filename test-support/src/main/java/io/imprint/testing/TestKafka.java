package io.imprint.testing;

import io.imprint.eventplane.KafkaTls;
import java.util.Map;
import java.util.Properties;

/**
 * The real Kafka broker of the tests, with mutual TLS and ACLs as everywhere: {@code KAFKA_BOOTSTRAP_SERVERS}
 * if set (deploy/local/test.sh starts one), else our own KRaft broker started by {@code deploy/local/kafka.sh}
 * on port 19092 in the tests' work folder, apart from the demo's 9092. Topics and ACLs come from the declared
 * files in both cases.
 */
public final class TestKafka {
    public static final int LOCAL_TEST_PORT = 19092;
    /** The administrator: a super user, for tests that publish what no service would (bypassing the ACLs). */
    public static final String ADMIN = "admin";

    private static String bootstrap;

    private TestKafka() {}

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            if (external != null && !external.isBlank()) {
                bootstrap = external;
            } else {
                TestScripts.run(Map.of("IMPRINT_KAFKA_PORT", String.valueOf(LOCAL_TEST_PORT)), "kafka.sh", "start");
                bootstrap = "127.0.0.1:" + LOCAL_TEST_PORT;
            }
        }
        return bootstrap;
    }

    /** Client settings of a service identity (mutual TLS). */
    public static Properties clientAs(String service) {
        return KafkaTls.client(bootstrapServers(), TestIdentities.file(service), TestIdentities.serviceCa());
    }

    /** Client settings of the administrator, who is allowed everything. */
    public static Properties admin() {
        return clientAs(ADMIN);
    }
}
