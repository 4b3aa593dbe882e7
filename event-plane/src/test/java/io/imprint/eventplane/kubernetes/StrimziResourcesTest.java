package io.imprint.eventplane.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.TopicDeclarations;
import io.imprint.contracts.access.AccessDeclarations;
import io.imprint.contracts.access.AccessRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.junit.jupiter.api.Test;

class StrimziResourcesTest {
    private static final Path ROOT = Path.of("..");
    private static final Path STRIMZI = ROOT.resolve("deploy/k8s/strimzi");
    private static final TopicDeclarations TOPICS = TopicDeclarations.load(ROOT.resolve("deploy/local/topics.conf"));
    private static final AccessDeclarations ACLS = AccessDeclarations.load(ROOT.resolve("deploy/local/acls.conf"));

    @Test
    void committedResourcesAreWhatTheDeclaredFilesGenerate() throws IOException {
        assertEquals(
                StrimziResources.topics(TOPICS),
                Files.readString(STRIMZI.resolve(StrimziResourcesCli.TOPICS_FILE)),
                "deploy/k8s/strimzi/topics.yaml is stale: run deploy/k8s/generate.sh");
        assertEquals(
                StrimziResources.users(ACLS),
                Files.readString(STRIMZI.resolve(StrimziResourcesCli.USERS_FILE)),
                "deploy/k8s/strimzi/users.yaml is stale: run deploy/k8s/generate.sh");
    }

    @Test
    void everyFixedTopicAndPrincipalBecomesOneResource() {
        String topics = StrimziResources.topics(TOPICS);
        for (TopicDeclarations.Topic topic : TOPICS.fixed()) {
            assertTrue(topics.contains("  name: " + topic.name() + "\n"), topic.name());
        }
        assertEquals(TOPICS.fixed().size(), count(topics, "kind: KafkaTopic"));
        assertFalse(topics.contains("{factory}"), "a per-factory template is no topic of its own");

        String users = StrimziResources.users(ACLS);
        List<String> principals =
                ACLS.fixed().stream().map(AccessRule::principal).distinct().toList();
        assertEquals(principals.size(), count(users, "kind: KafkaUser"));
        principals.forEach(p -> assertTrue(users.contains("  name: " + StrimziResources.userName(p) + "\n"), p));
    }

    @Test
    void oneAclPerResourceWithItsOperationsInDeclaredOrder() {
        String users = StrimziResources.users(ACLS);
        String signer = users.substring(users.indexOf("  name: signer\n"));
        signer = signer.substring(0, signer.indexOf("---"));
        assertTrue(signer.contains(acl("topic", "imprint.crl.published.v1", "literal", "Write, Read")), signer);
        assertTrue(signer.contains(acl("transactionalId", "imprint-signer", "prefix", "Write")), signer);
        assertEquals("DescribeConfigs", StrimziResources.operation(AccessRule.Operation.DESCRIBE_CONFIGS));
        assertEquals("IdempotentWrite", StrimziResources.operation(AccessRule.Operation.IDEMPOTENT_WRITE));
    }

    @Test
    void aStationClassHoldsItsFactorysResultsTopicAndTheStationRulesOnly() {
        String f1 = StrimziResources.stationClass("f1", TOPICS, ACLS);
        assertTrue(f1.contains("kind: KafkaTopic\nmetadata:\n  name: imprint.station-results.f1.v1\n"), f1);
        assertTrue(f1.contains("kind: KafkaUser\nmetadata:\n  name: station-f1\n"), f1);
        assertTrue(f1.contains(acl("topic", "imprint.csr.submitted.v1", "literal", "Write")), f1);
        assertTrue(f1.contains(acl("topic", "imprint.station-results.f1.v1", "literal", "Read")), f1);
        assertEquals(2, count(f1, "- resource:"), f1);
        IllegalArgumentException upper =
                assertThrows(IllegalArgumentException.class, () -> StrimziResources.stationClass("F1", TOPICS, ACLS));
        assertTrue(upper.getMessage().contains("lower-case"), upper.getMessage());
    }

    /**
     * The cluster's listener maps certificate subjects (as Kafka reads them, RFC 2253) to exactly the principals
     * Strimzi grants the generated users' ACLs to, and refuses every other subject.
     */
    @Test
    void theListenersMappingRulesGiveEveryGeneratedUserItsPrincipalAndNothingElseOne() throws IOException {
        SslPrincipalMapper rules = SslPrincipalMapper.fromRules(listenerMappingRules());
        for (String principal :
                ACLS.fixed().stream().map(AccessRule::principal).distinct().toList()) {
            String user = StrimziResources.userName(principal);
            assertEquals(StrimziResources.brokerPrincipal(user), rules.getName("CN=" + user + ",OU=Imprint service"));
        }
        assertEquals(
                StrimziResources.brokerPrincipal(StrimziResources.userName("station:f1/{station}")),
                rules.getName("CN=gw-7.line_2,O=f1,OU=Imprint factory station"));
        assertEquals("CN=admin", rules.getName("CN=admin,OU=Imprint service"));
        for (String stranger : List.of(
                "CN=signer,OU=Imprint service,O=Elsewhere",
                "CN=signer",
                "CN=signer,OU=Imprint operator",
                "CN=gw-7,O=F1,OU=Imprint factory station",
                "SERIALNUMBER=dev-1,CN=dev-1,O=Imprint",
                "CN=x,OU=Imprint service,CN=y")) {
            assertThrows(
                    SslPrincipalMapper.NoMatchingRule.class,
                    () -> rules.getName(stranger),
                    stranger + " must match no rule");
        }
    }

    private static String listenerMappingRules() throws IOException {
        Matcher rules = Pattern.compile("(?m)^\\s*ssl\\.principal\\.mapping\\.rules: '([^']+)'$")
                .matcher(Files.readString(STRIMZI.resolve("kafka.yaml")));
        assertTrue(rules.find(), "kafka.yaml sets the listener's ssl.principal.mapping.rules");
        return rules.group(1);
    }

    /** One generated ACL entry, from its resource type on. */
    private static String acl(String type, String name, String pattern, String operations) {
        return String.join(
                "\n",
                "type: " + type,
                "          name: " + name,
                "          patternType: " + pattern,
                "        operations: [" + operations + "]\n");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
