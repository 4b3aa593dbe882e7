package io.imprint.pki.attestation;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.csr.KeyPolicy;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;

/**
 * What a secure element's device-attestation certificates must be, beyond RFC 5280 path validation. A chain
 * that validates is not enough: a leaf that is itself a CA, or may sign certificates, could mint attestations
 * for keys no secure element holds. Each refusal is {@code ATTESTATION_INVALID} with a message that starts
 * with the rule's name:
 * <ul>
 * <li>{@code validity}: every certificate is valid at the time of intake;</li>
 * <li>{@code signature-algorithm}, {@code key-policy}: every certificate's signature algorithm and public key
 * are on the CSR allowlist ({@link KeyPolicy}: no SHA-1, no secp256k1, no short RSA);</li>
 * <li>{@code leaf-not-ca}: the device certificate is not a CA (basicConstraints absent or CA:FALSE);</li>
 * <li>{@code leaf-key-usage}: it has keyUsage with digitalSignature and no bit outside the profile's
 * allowed set (by default digitalSignature only; some vendors add keyAgreement); a TPM's endorsement key
 * certificate instead has keyEncipherment (RSA) or keyAgreement (ECC) and never a signing bit, since an EK
 * only decrypts;</li>
 * <li>{@code authority-key-identifier}: every certificate below the root names its issuer's key, and that
 * is the key of the next certificate up;</li>
 * <li>{@code intermediate-ca}: every intermediate is CA:TRUE with keyCertSign and, when the profile says so,
 * a path length constraint.</li>
 * </ul>
 *
 * @param leafKeyUsages            key-usage bits the device certificate may carry (names as in RFC 5280)
 * @param intermediatePathLength   whether intermediates must carry a path length constraint
 * @param format                   the attestation scheme whose own rules apply on top
 */
public record AttestationProfile(Set<String> leafKeyUsages, boolean intermediatePathLength, Format format) {
    /**
     * Plain X.509 vendor hierarchies, Matter's PAA, PAI and DAC ({@link MatterAttestation}), or a TPM's
     * endorsement key certificate chain ({@link io.imprint.pki.attestation.tpm.TpmAttestation}).
     */
    public enum Format {
        X509,
        MATTER,
        TPM
    }

    /** RFC 5280 names of the KeyUsage bits, in the order of {@link X509Certificate#getKeyUsage()}. */
    public static final List<String> KEY_USAGES = List.of(
            "digitalSignature",
            "nonRepudiation",
            "keyEncipherment",
            "dataEncipherment",
            "keyAgreement",
            "keyCertSign",
            "cRLSign",
            "encipherOnly",
            "decipherOnly");

    /** Device certificate for signatures only; intermediates with a path length. */
    public static final AttestationProfile DEFAULT =
            new AttestationProfile(Set.of("digitalSignature"), true, Format.X509);

    /**
     * A TPM vendor's EK certificates: decryption only (TCG EK Credential Profile 2.3); vendors' intermediates
     * often carry no path length, which path validation then bounds by the chain's own length.
     */
    public static final AttestationProfile TPM =
            new AttestationProfile(Set.of("keyEncipherment", "keyAgreement"), false, Format.TPM);

    public AttestationProfile {
        Set<String> unknown = new TreeSet<>(leafKeyUsages);
        KEY_USAGES.forEach(unknown::remove);
        String required = format == Format.TPM ? "keyEncipherment" : "digitalSignature";
        boolean signs = leafKeyUsages.contains("digitalSignature") || leafKeyUsages.contains("keyCertSign");
        if (!unknown.isEmpty() || (format == Format.TPM ? signs : !leafKeyUsages.contains(required))) {
            throw new IllegalArgumentException("leaf key usages must be among " + KEY_USAGES + " and "
                    + (format == Format.TPM ? "exclude signing, for an endorsement key" : "include digitalSignature")
                    + "; found " + leafKeyUsages);
        }
        leafKeyUsages = Set.copyOf(leafKeyUsages);
    }

    /** @param chain device certificate first, then intermediates; the root last, as trusted */
    void check(List<X509Certificate> chain, X509Certificate root, Instant now) throws RequestRejectedException {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : root;
            String which = i == 0 ? "the device certificate" : "intermediate " + i;
            checkValidity(certificate, which, now);
            checkAlgorithms(certificate, which);
            checkAuthorityKeyIdentifier(certificate, issuer, which);
            if (i == 0) {
                checkLeaf(certificate);
            } else {
                checkIntermediate(certificate, which);
            }
        }
    }

    private static void checkValidity(X509Certificate certificate, String which, Instant now)
            throws RequestRejectedException {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw broken(
                    "validity",
                    which + " is valid from " + certificate.getNotBefore().toInstant() + " to "
                            + certificate.getNotAfter().toInstant() + ", not at " + now);
        }
    }

    private static void checkAlgorithms(X509Certificate certificate, String which) throws RequestRejectedException {
        Certificate parsed = Certificate.getInstance(encoded(certificate));
        try {
            KeyPolicy.signatureAlgorithm(parsed.getSignatureAlgorithm());
        } catch (RequestRejectedException e) {
            throw broken(
                    "signature-algorithm",
                    which + " is signed with " + certificate.getSigAlgName() + ", which is not allowed ("
                            + e.getMessage() + ")");
        }
        try {
            KeyPolicy.checkedKey(parsed.getSubjectPublicKeyInfo());
        } catch (RequestRejectedException e) {
            throw broken("key-policy", which + " carries a key that is not allowed: " + e.getMessage());
        }
    }

    private void checkLeaf(X509Certificate leaf) throws RequestRejectedException {
        if (leaf.getBasicConstraints() >= 0) {
            throw broken("leaf-not-ca", "the device certificate is a CA (basicConstraints CA:TRUE)");
        }
        boolean[] usage = leaf.getKeyUsage();
        if (format == Format.TPM) {
            if (usage == null || !(usage[2] || usage[4])) {
                throw broken(
                        "leaf-key-usage",
                        "the endorsement key certificate must carry keyUsage " + "keyEncipherment or keyAgreement");
            }
        } else if (usage == null || !usage[0]) {
            throw broken("leaf-key-usage", "the device certificate must carry keyUsage digitalSignature");
        }
        for (int bit = 0; bit < usage.length; bit++) {
            String name = bit < KEY_USAGES.size() ? KEY_USAGES.get(bit) : "bit " + bit;
            if (usage[bit] && !leafKeyUsages.contains(name)) {
                throw broken(
                        "leaf-key-usage",
                        "the device certificate has keyUsage " + name + "; this secure-element type allows only "
                                + new TreeSet<>(leafKeyUsages));
            }
        }
    }

    private void checkIntermediate(X509Certificate intermediate, String which) throws RequestRejectedException {
        boolean[] usage = intermediate.getKeyUsage();
        if (intermediate.getBasicConstraints() < 0 || usage == null || !usage[5]) {
            throw broken("intermediate-ca", which + " is not a CA with keyCertSign");
        }
        if (intermediatePathLength && intermediate.getBasicConstraints() == Integer.MAX_VALUE) {
            throw broken("intermediate-ca", which + " has no path length constraint");
        }
    }

    private static void checkAuthorityKeyIdentifier(X509Certificate certificate, X509Certificate issuer, String which)
            throws RequestRejectedException {
        byte[] keyId;
        byte[] issuerKeyId;
        try {
            byte[] aki = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
            keyId = aki == null
                    ? null
                    : AuthorityKeyIdentifier.getInstance(
                                    ASN1OctetString.getInstance(aki).getOctets())
                            .getKeyIdentifier();
            // the issuer's subjectKeyIdentifier or, without one, RFC 5280 method 1, as our own CAs name theirs
            issuerKeyId = CertificateTemplates.authorityKeyIdentifier(issuer).getKeyIdentifier();
        } catch (RuntimeException e) {
            throw broken("authority-key-identifier", which + " or its issuer carries a malformed key identifier");
        }
        if (keyId == null) {
            throw broken("authority-key-identifier", which + " has no authorityKeyIdentifier keyIdentifier");
        }
        if (!Arrays.equals(keyId, issuerKeyId)) {
            throw broken(
                    "authority-key-identifier",
                    which + "'s authorityKeyIdentifier does not name the key of " + "its issuer "
                            + issuer.getSubjectX500Principal().getName());
        }
    }

    private static byte[] encoded(X509Certificate certificate) throws RequestRejectedException {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw broken("encoding", "an attestation certificate cannot be encoded");
        }
    }

    /**
     * A profile from settings: comma-separated key usages, e.g. "digitalSignature,keyAgreement"; a setting left
     * out (null) takes the format's default ({@link #DEFAULT}, or {@link #TPM} for TPM endorsement keys).
     */
    public static AttestationProfile of(String leafKeyUsages, Boolean intermediatePathLength, Format format) {
        AttestationProfile defaults = format == Format.TPM ? TPM : DEFAULT;
        if (leafKeyUsages == null) {
            return new AttestationProfile(
                    defaults.leafKeyUsages(),
                    intermediatePathLength == null ? defaults.intermediatePathLength() : intermediatePathLength,
                    format);
        }
        Map<String, String> byLowerCase = new java.util.HashMap<>();
        KEY_USAGES.forEach(name -> byLowerCase.put(name.toLowerCase(Locale.ROOT), name));
        Set<String> usages = new TreeSet<>();
        for (String usage : leafKeyUsages.split(",", -1)) {
            String name = byLowerCase.get(usage.strip().toLowerCase(Locale.ROOT));
            if (name == null) {
                throw new IllegalArgumentException("unknown key usage '" + usage.strip() + "'; use " + KEY_USAGES);
            }
            usages.add(name);
        }
        return new AttestationProfile(
                usages,
                intermediatePathLength == null ? defaults.intermediatePathLength() : intermediatePathLength,
                format);
    }

    static RequestRejectedException broken(String rule, String message) {
        return new RequestRejectedException(
                ReasonCode.ATTESTATION_INVALID, "attestation rule " + rule + ": " + message);
    }
}
