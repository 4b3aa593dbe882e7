package io.imprint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class RequestTraceIdsTest {
    private static final String REQUEST = "4f8c2a61-0d3e-4c1b-9f4e-2b7d5a9e8c10";

    /** The value an SRE gets from any SHA-256 tool: sha256("imprint-request:" + id), bytes 0-15 and 16-23. */
    @Test
    void idsAreTheDocumentedSlicesOfTheRequestIdsDigest() {
        assertEquals("83ab6fedf007c0ece2b4f658a4f4953b", RequestTraceIds.traceId(REQUEST));
        assertEquals("4723f3e779099d91", RequestTraceIds.rootSpanId(REQUEST));
        assertEquals(
                new RequestTraceIds.Ids("83ab6fedf007c0ece2b4f658a4f4953b", "4723f3e779099d91"),
                RequestTraceIds.of(REQUEST));
    }

    @Test
    void anotherRequestIsAnotherTrace() {
        assertNotEquals(RequestTraceIds.traceId(REQUEST), RequestTraceIds.traceId(REQUEST + "0"));
    }
}
