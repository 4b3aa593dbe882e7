package io.imprint.pki.attestation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.csr.KeyPolicy;
import io.imprint.pki.csr.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Reads a Microchip Trust&amp;Go / TrustFLEX secure-element manifest: a JSON array with one signed entry per
 * element, each a JWS in flattened JSON serialisation ({@code protected}, {@code payload}, {@code signature},
 * and an unprotected {@code header} with the element's {@code uniqueId}). Every entry must be signed ES256 by
 * the manifest signer certificate the operator trusts, named by its {@code x5t#S256} thumbprint; its payload
 * lists the element's keys as JWKs, and slot {@code 0}'s is the device key whose fingerprint joins the order's
 * manifest. One bad entry refuses the whole file: a manifest is the vendor's statement, not a suggestion.
 */
public final class MicrochipManifest {
    /** Far above a reel of elements (a few thousand); bounds the work one upload can ask for. */
    public static final int MAX_ENTRIES = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final String DEVICE_KEY_SLOT = "0";

    /** An element the manifest vouches for. */
    public record Entry(String uniqueId, String keySha256) {}

    private MicrochipManifest() {}

    /**
     * Verifies every entry of a signed manifest; one bad entry refuses the whole file.
     *
     * @param manifestJson the manifest file's content
     * @param signers      manifest signer certificates the operator trusts
     * @throws IllegalArgumentException naming the first entry that fails and why
     */
    public static List<Entry> verify(String manifestJson, List<X509Certificate> signers) {
        JsonNode entries;
        try {
            entries = JSON.readTree(manifestJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the manifest is not JSON");
        }
        if (entries == null || !entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(
                    "the manifest must be a JSON array of 1 to " + MAX_ENTRIES + " signed entries");
        }
        List<Entry> verified = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                verified.add(entry(entries.get(i), signers));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("manifest entry " + i + ": " + e.getMessage());
            }
        }
        return verified;
    }

    private static Entry entry(JsonNode signed, List<X509Certificate> signers) {
        String protectedHeader = text(signed, "protected");
        String payload = text(signed, "payload");
        JsonNode header = json(decode(protectedHeader, "protected"));
        if (!"ES256".equals(header.path("alg").asText())) {
            throw new IllegalArgumentException(
                    "alg must be ES256, found '" + header.path("alg").asText() + "'");
        }
        X509Certificate signer = signerFor(header.path("x5t#S256").asText(), signers);
        byte[] signature = decode(text(signed, "signature"), "signature");
        if (signature.length != 64
                || !verifies(
                        signer.getPublicKey(),
                        (protectedHeader + "." + payload).getBytes(StandardCharsets.US_ASCII),
                        signature)) {
            throw new IllegalArgumentException("the signature does not verify with manifest signer "
                    + signer.getSubjectX500Principal().getName());
        }
        JsonNode element = json(decode(payload, "payload"));
        String uniqueId = element.path("uniqueId").asText();
        if (uniqueId.isEmpty()
                || !uniqueId.equals(signed.path("header").path("uniqueId").asText(uniqueId))) {
            throw new IllegalArgumentException("uniqueId is missing or differs between header and payload");
        }
        for (JsonNode key : element.path("publicKeySet").path("keys")) {
            if (DEVICE_KEY_SLOT.equals(key.path("kid").asText())) {
                return new Entry(uniqueId, KeyFingerprint.sha256(p256(key)));
            }
        }
        throw new IllegalArgumentException("element " + uniqueId + " lists no key in slot " + DEVICE_KEY_SLOT);
    }

    private static X509Certificate signerFor(String thumbprint, List<X509Certificate> signers) {
        for (X509Certificate signer : signers) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(signer.getEncoded());
                if (Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(digest)
                        .equals(thumbprint)) {
                    return signer;
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException(
                "signed by a certificate that is not a trusted manifest signer " + "(x5t#S256 " + thumbprint + ")");
    }

    private static boolean verifies(PublicKey key, byte[] signedBytes, byte[] rawSignature) {
        // JWS ES256 signatures are r||s, 32 octets each (RFC 7518 3.4).
        return SignatureVerifier.verify("SHA256withPLAIN-ECDSA", key, signedBytes, rawSignature);
    }

    /** The JWK as a named-curve SubjectPublicKeyInfo, the encoding fingerprints are taken of. */
    private static SubjectPublicKeyInfo p256(JsonNode jwk) {
        if (!"EC".equals(jwk.path("kty").asText())
                || !"P-256".equals(jwk.path("crv").asText())) {
            throw new IllegalArgumentException("the device key must be an EC P-256 JWK");
        }
        byte[] x = decode(text(jwk, "x"), "x");
        byte[] y = decode(text(jwk, "y"), "y");
        if (x.length != 32 || y.length != 32) {
            throw new IllegalArgumentException("the device key's coordinates must be 32 octets each");
        }
        byte[] point = new byte[65];
        point[0] = 0x04;
        System.arraycopy(x, 0, point, 1, 32);
        System.arraycopy(y, 0, point, 33, 32);
        SubjectPublicKeyInfo info = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1), point);
        try {
            KeyPolicy.checkedKey(info); // refuses a point that is not on the curve
        } catch (RequestRejectedException e) {
            throw new IllegalArgumentException("the device key is not a point on P-256");
        }
        return info;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value.asText();
    }

    private static byte[] decode(String base64url, String field) {
        try {
            return BASE64URL.decode(base64url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + field + "' is not base64url");
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a protected header or payload is not JSON");
        }
    }
}
