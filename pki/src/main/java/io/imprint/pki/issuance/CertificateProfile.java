package io.imprint.pki.issuance;

import io.imprint.pki.crl.CrlDistribution;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * What a device certificate says, decided by configuration, never by the CSR. A profile is checked for
 * well-formed values when it is loaded; whether the certificate it produces is acceptable is the
 * pre-issuance lint's call, on the real TBS certificate.
 *
 * @param name               the name orders and {@code csr.accepted} events refer to
 * @param validity           how long the certificate lasts; {@code null} means IEEE 802.1AR "no well-defined
 *                           expiration" (notAfter 99991231235959Z), the IDevID default
 * @param keyUsage           key usage bit names ({@code digitalSignature}, {@code keyAgreement}, ...); empty
 *                           means matched to the device key's type
 * @param extendedKeyUsage   purposes by name ({@code clientAuth}, {@code serverAuth}, ...) or dotted OID
 * @param policies           certificate policy OIDs; empty means no certificatePolicies extension
 * @param crl                where certificates find their CRLs, or {@code null} for no CRL distribution point
 * @param ocspUrl            OCSP responder URL for Authority Information Access, or {@code null} for none
 * @param subject            what the subject name holds
 * @param hardwareModuleType hwType OID of an RFC 4108 HardwareModuleName subjectAltName carrying the device id
 *                           as hwSerialNum (IEEE 802.1AR), or {@code null} for none
 */
public record CertificateProfile(
        String name,
        Duration validity,
        Set<String> keyUsage,
        List<String> extendedKeyUsage,
        List<String> policies,
        CrlDistribution crl,
        URI ocspUrl,
        SubjectForm subject,
        String hardwareModuleType) {
    /** RFC 5280 4.1.2.5: GeneralizedTime 99991231235959Z for certificates without a well-defined expiration. */
    public static final Instant NO_WELL_DEFINED_EXPIRATION = Instant.parse("9999-12-31T23:59:59Z");

    static final Map<String, Integer> KEY_USAGE_BITS = Map.of(
            "digitalSignature", KeyUsage.digitalSignature,
            "nonRepudiation", KeyUsage.nonRepudiation,
            "keyEncipherment", KeyUsage.keyEncipherment,
            "dataEncipherment", KeyUsage.dataEncipherment,
            "keyAgreement", KeyUsage.keyAgreement,
            "keyCertSign", KeyUsage.keyCertSign,
            "cRLSign", KeyUsage.cRLSign);

    static final Map<String, KeyPurposeId> PURPOSES = Map.of(
            "serverAuth", KeyPurposeId.id_kp_serverAuth,
            "clientAuth", KeyPurposeId.id_kp_clientAuth,
            "codeSigning", KeyPurposeId.id_kp_codeSigning,
            "emailProtection", KeyPurposeId.id_kp_emailProtection,
            "timeStamping", KeyPurposeId.id_kp_timeStamping,
            "OCSPSigning", KeyPurposeId.id_kp_OCSPSigning);

    /** What the subject distinguished name holds. */
    public enum SubjectForm {
        /** CN and serialNumber = device id (802.1AR puts the device serial in serialNumber). */
        DEVICE_ID,
        /** Empty: the device is named only by a critical subjectAltName. */
        EMPTY
    }

    public CertificateProfile {
        Objects.requireNonNull(name, "profile name");
        keyUsage = Set.copyOf(keyUsage);
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
        policies = List.copyOf(policies);
        subject = subject == null ? SubjectForm.DEVICE_ID : subject;
        if (validity != null && (validity.isNegative() || validity.isZero())) {
            throw new IllegalArgumentException("profile " + name + ": validity must be positive");
        }
        for (String usage : keyUsage) {
            if (!KEY_USAGE_BITS.containsKey(usage)) {
                throw new IllegalArgumentException("profile " + name + ": unknown key usage '" + usage
                        + "'; use one of " + KEY_USAGE_BITS.keySet());
            }
        }
        extendedKeyUsage.forEach(purpose -> purpose(name, purpose));
        policies.forEach(policy -> oid(name, "policy", policy));
        if (hardwareModuleType != null) {
            oid(name, "hardware module type", hardwareModuleType);
        }
    }

    /** The 802.1AR IDevID profile: clientAuth, key usage matched to the key, device id in the subject. */
    public CertificateProfile(String name, Duration validity, URI crlUrl, URI ocspUrl) {
        this(
                name,
                validity,
                Set.of(),
                List.of("clientAuth"),
                List.of(),
                CrlDistribution.of(crlUrl),
                ocspUrl,
                SubjectForm.DEVICE_ID,
                null);
    }

    /** This profile with other CRL distribution points (each issuing CA has its own CRLs). */
    public CertificateProfile withCrl(CrlDistribution distribution) {
        return new CertificateProfile(
                name,
                validity,
                keyUsage,
                extendedKeyUsage,
                policies,
                distribution,
                ocspUrl,
                subject,
                hardwareModuleType);
    }

    public CertificateProfile withValidity(Duration lifetime) {
        return new CertificateProfile(
                name, lifetime, keyUsage, extendedKeyUsage, policies, crl, ocspUrl, subject, hardwareModuleType);
    }

    public Instant notAfter(Instant notBefore) {
        return validity == null ? NO_WELL_DEFINED_EXPIRATION : notBefore.plus(validity);
    }

    /** Key usage bits the profile names, or 0 when they follow the key type. */
    int keyUsageBits() {
        return keyUsage.stream().mapToInt(KEY_USAGE_BITS::get).reduce(0, (a, b) -> a | b);
    }

    List<KeyPurposeId> purposes() {
        return extendedKeyUsage.stream().map(purpose -> purpose(name, purpose)).toList();
    }

    private static KeyPurposeId purpose(String profile, String purpose) {
        KeyPurposeId named = PURPOSES.get(purpose);
        return named != null ? named : KeyPurposeId.getInstance(oid(profile, "extended key usage", purpose));
    }

    private static ASN1ObjectIdentifier oid(String profile, String what, String value) {
        try {
            return new ASN1ObjectIdentifier(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "profile " + profile + ": " + what + " '" + value + "' is not a known name or a dotted OID");
        }
    }
}
