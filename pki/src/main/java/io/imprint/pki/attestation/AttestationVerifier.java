package io.imprint.pki.attestation;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.csr.SignatureVerifier;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Checks a secure element's factory certificate chain, as Microchip (Trust&amp;Go), Infineon (OPTIGA Trust M)
 * and NXP (SE050) provision them: every certificate must meet the type's {@link AttestationProfile}, the chain
 * must validate (RFC 5280 path validation, at the time of intake) up to the vendor root configured for the
 * element's type, and the device certificate's public key must be the key the CSR carries. A device whose key
 * was not made in a genuine element of that vendor fails here.
 */
public final class AttestationVerifier {
    public static final int MAX_CHAIN_LENGTH = 4;
    public static final int MAX_CERTIFICATE_BYTES = 8192;
    private static final int ROOTS_REMEMBERED = 1024;

    private final Map<String, List<X509Certificate>> rootsByType;
    private final Map<String, AttestationProfile> profilesByType;
    /**
     * Which root signed a chain's top certificate: vendors have a handful of signer CAs over millions of devices,
     * so the answer is kept by the certificate's exact bytes (equal bytes, equal verdict). Bounded: cleared when full.
     */
    private final Map<X509Certificate, X509Certificate> rootOfTop = new ConcurrentHashMap<>();

    /** One vendor root per type, every type under {@link AttestationProfile#DEFAULT}. */
    public AttestationVerifier(Map<String, X509Certificate> rootsByType) {
        this(
                rootsByType.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
                Map.of());
    }

    /**
     * @param rootsByType    the trusted roots for each secure-element type (a vendor root, or Matter's PAA trust
     *                       list); types match case-insensitively
     * @param profilesByType a type's certificate profile, where it differs from {@link AttestationProfile#DEFAULT}
     */
    public AttestationVerifier(
            Map<String, List<X509Certificate>> rootsByType, Map<String, AttestationProfile> profilesByType) {
        this.rootsByType = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.rootsByType.putAll(rootsByType);
        this.profilesByType = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.profilesByType.putAll(profilesByType);
    }

    /**
     * Verifies a secure element's attestation chain and that it certifies the CSR's key.
     *
     * @param chainBase64 base64 DER certificates, device certificate first; the vendor root may be included
     * @return the verified device certificate, its root and, for Matter, the DAC's vendor and product
     */
    public AttestedDevice verify(String type, List<String> chainBase64, SubjectPublicKeyInfo csrKey, Instant now)
            throws RequestRejectedException {
        if (format(type) == AttestationProfile.Format.TPM) {
            throw invalid("secure-element type '" + type + "' is a TPM: its evidence goes in the submission's tpm "
                    + "field, not attestationChain");
        }
        AttestedDevice attested = verifyChain(type, chainBase64, now);
        if (!Arrays.equals(attested.certificate().getPublicKey().getEncoded(), encoded(csrKey))) {
            throw new RequestRejectedException(
                    ReasonCode.ATTESTATION_KEY_MISMATCH,
                    "the CSR's public key is not the key attested by the secure element's device certificate");
        }
        return attested;
    }

    /**
     * The chain alone: the type's profile, path validation to one of its roots and the format's own rules.
     * Whose key the leaf certifies is the caller's question.
     */
    public AttestedDevice verifyChain(String type, List<String> chainBase64, Instant now)
            throws RequestRejectedException {
        List<X509Certificate> roots = type == null ? null : rootsByType.get(type);
        if (roots == null || roots.isEmpty()) {
            throw invalid("no vendor root is configured for secure-element type '" + type + "'; configured: "
                    + rootsByType.keySet());
        }
        List<X509Certificate> chain = decode(chainBase64);
        while (!chain.isEmpty() && roots.contains(chain.get(chain.size() - 1))) {
            chain.remove(chain.size() - 1);
        }
        if (chain.isEmpty()) {
            throw invalid("attestation chain holds no device certificate");
        }
        X509Certificate root = rootOf(chain.get(chain.size() - 1), roots);
        AttestationProfile profile = profilesByType.getOrDefault(type, AttestationProfile.DEFAULT);
        profile.check(chain, root, now);
        validate(chain, root, now, type);
        MatterAttestation.Identity matter =
                profile.format() == AttestationProfile.Format.MATTER ? MatterAttestation.check(chain, root) : null;
        return new AttestedDevice(chain.get(0), root, matter);
    }

    /** The attestation format configured for a secure-element type (X.509 when it has no profile). */
    public AttestationProfile.Format format(String type) {
        return type == null
                ? AttestationProfile.Format.X509
                : profilesByType.getOrDefault(type, AttestationProfile.DEFAULT).format();
    }

    private X509Certificate rootOf(X509Certificate top, List<X509Certificate> roots) throws RequestRejectedException {
        X509Certificate known = rootOfTop.get(top);
        if (known != null && roots.contains(known)) {
            return known;
        }
        X509Certificate root = issuerAmong(top, roots);
        if (rootOfTop.size() >= ROOTS_REMEMBERED) {
            rootOfTop.clear();
        }
        rootOfTop.put(top, root);
        return root;
    }

    /** The root that issued {@code top}, by name and signature; refused when none did. */
    private static X509Certificate issuerAmong(X509Certificate top, List<X509Certificate> roots)
            throws RequestRejectedException {
        for (X509Certificate root : roots) {
            if (root.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
                // same name, other key (or a signature that cannot even be read): try the next root
                if (SignatureVerifier.verifyCertificate(top, root.getPublicKey())) {
                    return root;
                }
            }
        }
        throw invalid("attestation rule path-validation: no trusted root issued "
                + top.getSubjectX500Principal().getName());
    }

    private static List<X509Certificate> decode(List<String> chainBase64) throws RequestRejectedException {
        if (chainBase64.size() > MAX_CHAIN_LENGTH) {
            throw invalid("attestation chain has " + chainBase64.size() + " certificates; at most " + MAX_CHAIN_LENGTH);
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (String base64 : chainBase64) {
            if (base64 == null || base64.length() > MAX_CERTIFICATE_BYTES * 4 / 3 + 4) {
                throw invalid(
                        "an attestation certificate is missing or larger than " + MAX_CERTIFICATE_BYTES + " bytes");
            }
            try {
                chain.add(Pem.certificate(Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw invalid("an attestation certificate is not base64 DER X.509");
            }
        }
        return chain;
    }

    private static void validate(List<X509Certificate> chain, X509Certificate root, Instant now, String type)
            throws RequestRejectedException {
        try {
            CertPath path =
                    CertificateFactory.getInstance("X.509", Providers.BC).generateCertPath(chain);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
            // Vendors publish no CRLs for secure-element certificates; a recalled batch is excluded by manifest.
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            // BouncyCastle's validator: the JDK's checks the same rules with a several times slower ECDSA.
            CertPathValidator.getInstance("PKIX", Providers.BC).validate(path, parameters);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw invalid("attestation rule path-validation: the chain does not validate to the "
                    + type.toUpperCase(Locale.ROOT)
                    + " vendor root: " + reason(e));
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null
                ? e.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }

    private static byte[] encoded(SubjectPublicKeyInfo key) {
        try {
            return key.getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestRejectedException invalid(String message) {
        return new RequestRejectedException(ReasonCode.ATTESTATION_INVALID, message);
    }
}
