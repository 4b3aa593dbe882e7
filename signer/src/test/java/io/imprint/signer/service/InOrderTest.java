package io.imprint.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class InOrderTest {
    @Test
    void publishesEachResultOnceEveryEarlierOneIsSignedAndInRecordOrder() {
        List<String> published = new ArrayList<>();
        BatchSigner.InOrder inOrder = new BatchSigner.InOrder(4, message -> published.add(
                new String(message.getPayload())));
        inOrder.signed(2, Message.of("c".getBytes()));
        inOrder.signed(1, Message.of("b".getBytes()));
        assertEquals(List.of(), published, "record 0 is not signed yet");
        inOrder.signed(0, Message.of("a".getBytes()));
        assertEquals(List.of("a", "b", "c"), published);
        inOrder.signed(3, Message.of("d".getBytes()));
        assertEquals(List.of("a", "b", "c", "d"), published);
    }
}
