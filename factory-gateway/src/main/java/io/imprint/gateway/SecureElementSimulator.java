package io.imprint.gateway;

import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.keys.EcKeys;
import java.security.KeyPair;
import java.util.List;

/**
 * Stands in for a device's secure element (ATECC608A, OPTIGA Trust M, SE050): generates an EC P-256 key
 * that a real element would never release, the CSR for it and, when a vendor is given, the element's
 * factory certificate chain. Only the CSR and the chain leave this class.
 */
public final class SecureElementSimulator {
    private final SimulatedVendor vendor;
    private final String type;

    /** What the station reads out of one element. */
    public record Element(String csr, String type, List<String> attestationChain) {}

    /** Elements without attestation. */
    public SecureElementSimulator() {
        this(null, null);
    }

    /** Elements of {@code type} whose keys {@code vendor} attests, as genuine parts arrive from the vendor. */
    public SecureElementSimulator(SimulatedVendor vendor, String type) {
        this.vendor = vendor;
        this.type = type;
    }

    /** A new device identity: fresh key, PEM CSR with subject CN = serialNumber = device id. */
    public Element create(String deviceId) {
        KeyPair key = EcKeys.p256();
        String csr = CsrBuilder.devicePem(deviceId, key, "SHA256withECDSA");
        return vendor == null
                ? new Element(csr, null, List.of())
                : new Element(csr, type, vendor.attestBase64(key.getPublic(), deviceId));
    }
}
