package io.imprint.pki.csr;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an order does with CSR attributes other than extensionRequest: each is refused unless the order lists
 * its type as ignored. Refusal is the default because an attribute such as challengePassword means the device
 * expects something (a revocation password, an enrolment secret) that issuance will never honour. An ignored
 * attribute is dropped: nothing from it reaches the certificate.
 */
public final class CsrAttributePolicy {
    /** PKCS#9 attributes that CSR tools write, by the names RFC 2985 gives them. */
    private static final Map<String, String> KNOWN = Map.of(
            "challengePassword", "1.2.840.113549.1.9.7",
            "unstructuredName", "1.2.840.113549.1.9.2",
            "unstructuredAddress", "1.2.840.113549.1.9.8");

    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]{0,9})){1,20}");

    private CsrAttributePolicy() {}

    /** The OID an operator means by {@code nameOrOid} (an RFC 2985 name or a dotted OID), or null if neither. */
    public static String oid(String nameOrOid) {
        if (nameOrOid == null) {
            return null;
        }
        String known = KNOWN.get(nameOrOid);
        return known != null ? known : OID.matcher(nameOrOid).matches() ? nameOrOid : null;
    }

    /**
     * Refuses a CSR carrying an attribute the order does not ignore.
     *
     * @param ignored OIDs the order ignores
     */
    public static void check(ValidatedCsr csr, Set<String> ignored, String orderId) throws RequestRejectedException {
        for (String type : csr.attributeTypes()) {
            if (!ignored.contains(type)) {
                String name = KNOWN.entrySet().stream()
                        .filter(e -> e.getValue().equals(type))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .map(n -> n + " (" + type + ")")
                        .orElse(type);
                throw new RequestRejectedException(
                        ReasonCode.CSR_EXTENSION_NOT_ALLOWED,
                        "CSR attribute " + name
                                + " is refused by order " + orderId + "; an operator may list it in the order's "
                                + "ignoredCsrAttributes");
            }
        }
    }
}
