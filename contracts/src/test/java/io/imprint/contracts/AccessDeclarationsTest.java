package io.imprint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.access.AccessDeclarations;
import io.imprint.contracts.access.AccessRule.Operation;
import io.imprint.contracts.access.AccessRule.ResourceType;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The declared ACLs (deploy/local/acls.conf) against what the code and the documents say: each topic has
 * exactly the writers the topic tables name (README, and the shared DESIGN when it is beside the project),
 * each service may do what its configuration asks of the broker, and stations stay inside their factory.
 */
class AccessDeclarationsTest {
    private static final Path ROOT = Path.of("..");
    private static final AccessDeclarations ACLS = AccessDeclarations.load(ROOT.resolve("deploy/local/acls.conf"));
    private static final List<String> SERVICES =
            List.of("csr-intake", "signer", "audit", "fleet-registry", "revocation");

    @Test
    void everyTopicHasExactlyTheWritersTheReadmeTopicTableNames() throws IOException {
        Map<String, Set<String>> table = producers(ROOT.resolve("README.md"));
        Set<String> topics = new TreeSet<>(Topics.ALL);
        topics.addAll(Topics.DEAD_LETTER);
        topics.add(Topics.STATION_RESULTS_TEMPLATE);
        for (String topic : topics) {
            assertEquals(expectedWriters(topic, table), ACLS.principalsAllowed(Operation.WRITE, topic), topic);
        }
    }

    /**
     * Topics an issue asked for after the shared DESIGN was written (it is read-only here): the README's table
     * carries them, and their writers are held to it above. Issue 15: signed audit checkpoints on a topic, and
     * production-order changes for audit's reconciliation, the compacted device-state topic of the fleet contract.
     * Issue 18: operators' signed revocation and order requests, which reach an offline factory from headquarters.
     */
    private static final List<String> AFTER_DESIGN = List.of(
            Topics.DEVICE_STATE,
            Topics.AUDIT_CHECKPOINT,
            Topics.ORDER_CHANGED,
            Topics.STATION_REVOKED,
            Topics.CEREMONY_SEALED,
            Topics.REVOCATION_REQUESTED,
            Topics.ORDER_REQUESTED);

    /**
     * Writers added to a design topic since: audit relays the warehouse files uploaded to it, so fleet-registry
     * learns of those shipments as of the ERP's (issue 15).
     */
    private static final Map<String, Set<String>> WRITERS_AFTER_DESIGN =
            Map.of(Topics.SHIPMENT_RECORDED, Set.of("service:audit"));

    @Test
    void everyTopicOfTheDesignTableHasExactlyItsWriters() throws IOException {
        Path design = ROOT.resolve("../shared/DESIGN.md");
        if (!Files.exists(design)) {
            return; // the shared design lives beside the project, not in it; the README's table is checked above
        }
        Map<String, Set<String>> table = producers(design);
        List<String> checked = new ArrayList<>();
        for (String topic : Topics.ALL) {
            if (table.containsKey(topic)) {
                Set<String> writers = new TreeSet<>(expectedWriters(topic, table));
                writers.addAll(WRITERS_AFTER_DESIGN.getOrDefault(topic, Set.of()));
                assertEquals(writers, ACLS.principalsAllowed(Operation.WRITE, topic), topic);
                checked.add(topic);
            }
        }
        List<String> expected = new ArrayList<>(Topics.ALL);
        expected.removeAll(AFTER_DESIGN);
        assertEquals(expected, checked, "DESIGN's topic table lists every topic but those issues added since");
        for (String dlq : Topics.DEAD_LETTER) {
            assertEquals(expectedWriters(dlq, table), ACLS.principalsAllowed(Operation.WRITE, dlq), dlq);
        }
    }

    @Test
    void eachServiceMayReadWriteAndJoinWhatItsConfigurationNames() throws IOException {
        for (String service : SERVICES) {
            String principal = "service:" + service;
            Properties config = new Properties();
            try (Reader in =
                    Files.newBufferedReader(ROOT.resolve(service + "/src/main/resources/application.properties"))) {
                config.load(in);
            }
            for (String key : config.stringPropertyNames()) {
                String value = config.getProperty(key);
                if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")) {
                    assertTrue(
                            ACLS.allows(principal, Operation.READ, ResourceType.TOPIC, value),
                            principal + " reads " + value);
                } else if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.group\\.id")) {
                    assertTrue(
                            ACLS.allows(principal, Operation.READ, ResourceType.GROUP, value),
                            principal + " joins " + value);
                } else if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.dead-letter-queue\\.topic")
                        || key.matches("mp\\.messaging\\.outgoing\\.[^.]+\\.topic")) {
                    assertTrue(
                            ACLS.allows(principal, Operation.WRITE, ResourceType.TOPIC, value),
                            principal + " writes " + value);
                }
            }
        }
    }

    @Test
    void aStationWritesOnlySubmissionsAndReadsOnlyItsOwnFactorysResults() {
        String station = "station:factory-a/station-1";
        assertTrue(ACLS.allows(station, Operation.WRITE, ResourceType.TOPIC, Topics.CSR_SUBMITTED));
        assertTrue(ACLS.allows(station, Operation.READ, ResourceType.TOPIC, Topics.stationResults("factory-a")));
        assertFalse(ACLS.allows(station, Operation.READ, ResourceType.TOPIC, Topics.stationResults("factory-b")));
        assertFalse(ACLS.allows(station, Operation.READ, ResourceType.TOPIC, Topics.stationResults("factory-ab")));
        for (String topic : Topics.ALL) {
            assertEquals(
                    topic.equals(Topics.CSR_SUBMITTED),
                    ACLS.allows(station, Operation.WRITE, ResourceType.TOPIC, topic),
                    topic);
            assertFalse(ACLS.allows(station, Operation.READ, ResourceType.TOPIC, topic), topic);
        }
    }

    @Test
    void readmeShowsTheAclTableGeneratedFromTheDeclaredFile() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(
                readme.contains(ACLS.markdownTable()),
                "README's ACL table is stale; regenerate it with: java -cp"
                        + " contracts/target/classes io.imprint.contracts.access.AccessDeclarations deploy/local/acls.conf");
    }

    /** Producers as the table names them, turned into principals; DLQs are written by the consumer they name. */
    private static Set<String> expectedWriters(String topic, Map<String, Set<String>> table) {
        if (topic.endsWith(".dlq")) {
            String service = topic.substring(0, topic.length() - ".dlq".length());
            return Set.of("service:" + service.substring(service.lastIndexOf('.') + 1));
        }
        Set<String> principals = new TreeSet<>();
        for (String producer : table.getOrDefault(topic, Set.of())) {
            principals.add(
                    switch (producer) {
                        case "factory stations" -> "station:{factory}/{station}";
                        case "ERP / warehouse" -> "service:erp";
                        default -> "service:" + producer;
                    });
        }
        assertFalse(principals.isEmpty(), "the topic table names no producer of " + topic);
        return principals;
    }

    /** The first table under a "## Topics" heading: topic (in backticks) to its producers. */
    private static Map<String, Set<String>> producers(Path markdown) throws IOException {
        Map<String, Set<String>> producers = new LinkedHashMap<>();
        boolean inTopics = false;
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("## ")) {
                inTopics = line.equals("## Topics");
            } else if (inTopics && line.startsWith("| `")) {
                String[] cells = line.split("\\|", -1);
                String topic = cells[1].strip();
                topic = topic.substring(1, topic.indexOf('`', 1)).replace("<factory>", "{factory}");
                Set<String> names = new TreeSet<>();
                for (String name : cells[2].replaceAll("\\(.*\\)", "").split(",", -1)) {
                    names.add(name.strip());
                }
                producers.put(topic, names);
            }
        }
        return producers;
    }
}
