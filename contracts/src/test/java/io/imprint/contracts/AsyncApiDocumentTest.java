package io.imprint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document is what gateway authors read: it must not drift from the code. */
class AsyncApiDocumentTest {
    private static JsonNode doc;

    @BeforeAll
    static void load() throws IOException {
        doc = new ObjectMapper(new YAMLFactory()).readTree(new File("asyncapi.yaml"));
    }

    @Test
    void documentsEveryTopicAsAChannel() {
        Set<String> addresses = new TreeSet<>();
        doc.get("channels")
                .forEach(channel -> addresses.add(channel.get("address").asText()));
        Set<String> topics = new TreeSet<>(Topics.ALL);
        topics.add(Topics.STATION_RESULTS_TEMPLATE);
        assertEquals(topics, addresses);
    }

    @Test
    void documentsEveryEventOnItsTopicWithEveryField() {
        for (EventType type : EventType.values()) {
            JsonNode channel = channelFor(type.topic());
            JsonNode message = StreamSupport.stream(channel.get("messages").spliterator(), false)
                    .map(ref -> resolve(ref.get("$ref").asText()))
                    .filter(m -> m.get("name").asText().equals(type.ceType()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no message " + type.ceType() + " on " + type.topic()));
            JsonNode payload = resolve(message.get("payload").get("$ref").asText());
            Set<String> documented = fieldNames(payload.get("properties"));
            Set<String> inCode = Arrays.stream(type.recordType().getRecordComponents())
                    .map(c -> c.getName())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(inCode, documented, "fields of " + type.recordType().getSimpleName());
        }
    }

    @Test
    void documentsEveryReasonCode() {
        assertDocumentsEveryCode("ReasonCode", ReasonCode.values());
    }

    @Test
    void documentsEveryQuarantineReason() {
        assertDocumentsEveryCode("QuarantineReason", QuarantineReason.values());
    }

    /** A closed list of codes: every value in the schema's enum, and explained in its description. */
    private static void assertDocumentsEveryCode(String schema, Enum<?>[] codes) {
        assertEquals(names(codes), enumValues(schema));
        String description =
                doc.at("/components/schemas/" + schema + "/description").asText();
        for (Enum<?> code : codes) {
            assertTrue(description.contains(code.name() + ":"), "description of " + code);
        }
    }

    @Test
    void commandsToTheCaAndRevocationsAreDocumentedAsSignedByAService() {
        for (String message : Set.of("CsrAccepted", "CrlSignRequested", "CertRevoked")) {
            assertEquals(
                    "#/components/schemas/ServiceSignedHeaders",
                    doc.at("/components/messages/" + message + "/headers")
                            .get("$ref")
                            .asText(),
                    message);
        }
    }

    @Test
    void documentsEveryRevocationReason() {
        assertEquals(names(RevocationReason.values()), enumValues("RevocationReason"));
    }

    @Test
    void documentsEveryHeader() {
        Set<String> documented = fieldNames(doc.at("/components/schemas/CloudEventHeaders/properties"));
        documented.addAll(fieldNames(doc.at("/components/schemas/StationSignedHeaders/allOf/1/properties")));
        documented.addAll(fieldNames(doc.at("/components/schemas/ServiceSignedHeaders/allOf/1/properties")));
        documented.addAll(fieldNames(doc.at("/components/schemas/OperatorSignedHeaders/allOf/1/properties")));
        documented.addAll(fieldNames(doc.at("/components/schemas/DeadLetterHeaders/properties")));
        for (String header : Set.of(
                Headers.CE_SPECVERSION,
                Headers.CE_ID,
                Headers.CE_SOURCE,
                Headers.CE_TYPE,
                Headers.CE_TIME,
                Headers.CONTENT_TYPE,
                Headers.STATION_CERT,
                Headers.STATION_SIGNATURE,
                Headers.SERVICE_CERT,
                Headers.SERVICE_SIGNATURE,
                Headers.OPERATOR_CERT,
                Headers.OPERATOR_SIGNATURE,
                Headers.DLQ_REASON,
                Headers.DLQ_TOPIC,
                Headers.DLQ_CODE)) {
            assertTrue(documented.contains(header), "header " + header);
        }
    }

    @Test
    void declaredTopicListMatchesCode() {
        Set<String> declared = TopicDeclarations.load(Path.of("../deploy/local/topics.conf")).topics().stream()
                .map(TopicDeclarations.Topic::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> inCode = new TreeSet<>(Topics.ALL);
        inCode.addAll(Topics.DEAD_LETTER);
        inCode.add(Topics.STATION_RESULTS_TEMPLATE);
        assertEquals(inCode, declared);
        inCode.forEach(
                t -> assertTrue(t.replace("{factory}", "f").matches("[a-z0-9.-]+"), "dots and dashes only: " + t));
    }

    private static JsonNode channelFor(String topic) {
        return StreamSupport.stream(doc.get("channels").spliterator(), false)
                .filter(c -> c.get("address").asText().equals(topic))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no channel for " + topic));
    }

    private static JsonNode resolve(String ref) {
        JsonNode node = doc.at(ref.substring(1));
        assertNotNull(node, ref);
        assertTrue(!node.isMissingNode(), "unresolved " + ref);
        return node;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> enumValues(String schema) {
        Set<String> values = new TreeSet<>();
        doc.at("/components/schemas/" + schema + "/enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Set<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    }
}
