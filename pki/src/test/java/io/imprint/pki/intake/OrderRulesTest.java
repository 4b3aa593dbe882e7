package io.imprint.pki.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.csr.CsrAttributePolicy;
import io.imprint.pki.csr.ValidatedCsr;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final ProductionOrder ORDER = new ProductionOrder(
            "po-1",
            "factory-a",
            "sensor-x",
            10,
            NOW.minus(Duration.ofDays(1)),
            NOW.plus(Duration.ofDays(1)),
            "SN-[0-9]{6}",
            "SN-000100",
            "SN-000199",
            Set.of("ATECC608A"),
            true,
            false,
            "issuing-ca",
            true,
            Set.of(),
            null);

    @Test
    void acceptsDeviceInsideEveryConstraint() throws Exception {
        OrderRules.check(ORDER, submission("SN-000150", "atecc608a", List.of("chain")), "factory-a", NOW);
    }

    @Test
    void rejectsEachConstraintWithItsOwnReason() {
        assertReason(
                ReasonCode.ORDER_FACTORY_MISMATCH,
                ORDER,
                submission("SN-000150", "ATECC608A", List.of("c")),
                "factory-b",
                NOW);
        assertReason(
                ReasonCode.ORDER_NOT_OPEN,
                closed(ORDER),
                submission("SN-000150", "ATECC608A", List.of("c")),
                "factory-a",
                NOW);
        assertReason(
                ReasonCode.ORDER_NOT_OPEN,
                ORDER,
                submission("SN-000150", "ATECC608A", List.of("c")),
                "factory-a",
                NOW.plus(Duration.ofDays(2)));
        assertReason(
                ReasonCode.DEVICE_ID_NOT_ALLOWED,
                ORDER,
                submission("XX-000150", "ATECC608A", List.of("c")),
                "factory-a",
                NOW);
        assertReason(
                ReasonCode.DEVICE_ID_NOT_ALLOWED,
                ORDER,
                submission("SN-000200", "ATECC608A", List.of("c")),
                "factory-a",
                NOW);
        assertReason(
                ReasonCode.SECURE_ELEMENT_NOT_ALLOWED,
                ORDER,
                submission("SN-000150", "SE050", List.of("c")),
                "factory-a",
                NOW);
        assertReason(
                ReasonCode.SECURE_ELEMENT_NOT_ALLOWED,
                ORDER,
                submission("SN-000150", null, List.of("c")),
                "factory-a",
                NOW);
        assertReason(
                ReasonCode.ATTESTATION_REQUIRED,
                ORDER,
                submission("SN-000150", "ATECC608A", List.of()),
                "factory-a",
                NOW);
    }

    @Test
    void refusesCsrAttributesUnlessTheOrderIgnoresThem() throws Exception {
        ValidatedCsr withChallenge = new ValidatedCsr("SN-000150", null, null, Set.of("1.2.840.113549.1.9.7"));
        RequestRejectedException e = assertThrows(
                RequestRejectedException.class, () -> OrderRules.checkValidated(ORDER, validated(withChallenge)));
        assertEquals(ReasonCode.CSR_EXTENSION_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().contains("challengePassword"), e.getMessage());
        ProductionOrder ignoring = new ProductionOrder(
                ORDER.orderId(),
                ORDER.factoryId(),
                ORDER.productModel(),
                ORDER.quantity(),
                ORDER.notBefore(),
                ORDER.notAfter(),
                ORDER.deviceIdPattern(),
                ORDER.deviceIdFirst(),
                ORDER.deviceIdLast(),
                ORDER.secureElementTypes(),
                true,
                false,
                "issuing-ca",
                true,
                Set.of(CsrAttributePolicy.oid("challengePassword")),
                null);
        OrderRules.checkValidated(ignoring, validated(withChallenge));
        OrderRules.checkValidated(ORDER, validated(new ValidatedCsr("SN-000150", null, null, Set.of())));
    }

    private static ValidatedSubmission validated(ValidatedCsr csr) {
        return new ValidatedSubmission(submission(csr.deviceId(), "ATECC608A", List.of("c")), null, csr, "", null);
    }

    private static ProductionOrder closed(ProductionOrder o) {
        return new ProductionOrder(
                o.orderId(),
                o.factoryId(),
                o.productModel(),
                o.quantity(),
                o.notBefore(),
                o.notAfter(),
                o.deviceIdPattern(),
                o.deviceIdFirst(),
                o.deviceIdLast(),
                o.secureElementTypes(),
                o.attestationRequired(),
                o.allowReprovisioning(),
                o.issuingCa(),
                false,
                o.ignoredCsrAttributes(),
                null);
    }

    private static CsrSubmittedV1 submission(String deviceId, String type, List<String> chain) {
        return new CsrSubmittedV1("r-1", deviceId, "factory-a", "station-1", "po-1", NOW, "csr", type, chain);
    }

    private static void assertReason(
            ReasonCode expected, ProductionOrder order, CsrSubmittedV1 submission, String factory, Instant now) {
        RequestRejectedException e =
                assertThrows(RequestRejectedException.class, () -> OrderRules.check(order, submission, factory, now));
        assertEquals(expected, e.reason(), e.getMessage());
    }
}
