package io.imprint.pki.issuance;

import io.imprint.contracts.QuarantineReason;
import io.imprint.pki.Pem;
import io.imprint.pki.Serials;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.csr.SignatureVerifier;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * What audit, fleet-registry and revocation check before they store a {@code cert.issued}: its certificate
 * is an end-entity certificate signed by one of the issuing CAs they are configured with, and it names the
 * event's device id, serial and issuer. A certificate written by anyone but the CA (self-signed, from another
 * CA, or a genuine one relabelled for another device) is refused: it never becomes a device, an OCSP "good"
 * or a reason to supersede another certificate.
 */
public final class IssuedCertificateVerifier {
    private final List<X509Certificate> issuingCas;

    public IssuedCertificateVerifier(Collection<X509Certificate> issuingCas) {
        if (issuingCas.isEmpty()) {
            throw new IllegalArgumentException("no issuing CA to verify issued certificates with");
        }
        // Parsed through BouncyCastle, so each CA's key keeps its precomputed multiples across verifications.
        this.issuingCas = issuingCas.stream()
                .map(ca -> {
                    try {
                        return Pem.certificate(ca.getEncoded());
                    } catch (GeneralSecurityException e) {
                        throw new IllegalArgumentException("an issuing CA certificate cannot be encoded", e);
                    }
                })
                .toList();
    }

    /** The event's certificate, verified; throws {@link UntrustedEventException} naming the first defect. */
    public X509Certificate verify(String certificatePem, String deviceId, String serialNumber, String issuer) {
        X509Certificate certificate = parse(certificatePem);
        if (certificate.getBasicConstraints() != -1 || !signedByTrustedCa(certificate)) {
            throw new UntrustedEventException(
                    QuarantineReason.CERTIFICATE_UNTRUSTED,
                    "the certificate of serial "
                            + Serials.hex(certificate.getSerialNumber())
                            + " is not an end-entity certificate signed by a"
                            + " trusted issuing CA (issuer "
                            + certificate.getIssuerX500Principal().getName() + ")");
        }
        if (!Serials.hex(certificate.getSerialNumber()).equals(serialNumber)) {
            throw mismatch("serial " + Serials.hex(certificate.getSerialNumber()) + ", not " + serialNumber);
        }
        if (!certificate.getIssuerX500Principal().equals(principal(issuer))) {
            throw mismatch("issuer " + certificate.getIssuerX500Principal().getName() + ", not " + issuer);
        }
        String named = DeviceIdentities.deviceId(certificate).orElse(null);
        if (!deviceId.equals(named)) {
            throw mismatch("device " + named + ", not " + deviceId);
        }
        return certificate;
    }

    private boolean signedByTrustedCa(X509Certificate certificate) {
        for (X509Certificate ca : issuingCas) {
            if (!ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            // another CA of the same name (a rollover) may have signed it
            if (SignatureVerifier.verifyCertificate(certificate, ca.getPublicKey())) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate parse(String pem) {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(pem);
        } catch (IllegalArgumentException e) {
            certificates = List.of();
        }
        if (certificates.size() != 1) {
            throw new UntrustedEventException(
                    QuarantineReason.CERTIFICATE_UNTRUSTED, "field 'certificate' is not exactly one PEM certificate");
        }
        return certificates.get(0);
    }

    private static X500Principal principal(String name) {
        try {
            return new X500Principal(name);
        } catch (IllegalArgumentException e) {
            throw mismatch("an issuer that is not a distinguished name");
        }
    }

    private static UntrustedEventException mismatch(String what) {
        return new UntrustedEventException(
                QuarantineReason.CERTIFICATE_MISMATCH, "the certificate names " + what + " as the event says");
    }
}
