package io.imprint.signer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class InOrderTest {
    @Test
    void publishesEachResultOnceEveryEarlierOneIsSignedAndInRecordOrder() {
        List<String> published = new ArrayList<>();
        BatchSigner.InOrder inOrder = new BatchSigner.InOrder(
                4, message -> published.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
        inOrder.signed(2, messages("c"));
        inOrder.signed(1, messages("b", "b-copy"));
        assertEquals(List.of(), published, "record 0 is not signed yet");
        inOrder.signed(0, messages("a"));
        assertEquals(List.of("a", "b", "b-copy", "c"), published, "a record's messages stay together, in order");
        inOrder.signed(3, messages("d"));
        assertEquals(List.of("a", "b", "b-copy", "c", "d"), published);
    }

    private static List<Message<byte[]>> messages(String... payloads) {
        return List.of(payloads).stream()
                .map(p -> Message.of(p.getBytes(StandardCharsets.UTF_8)))
                .toList();
    }
}
