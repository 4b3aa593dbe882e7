package io.imprint.gateway;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.EcKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A stand-in secure-element vendor for tests and the demo, shaped like Microchip's Trust&amp;Go hierarchy:
 * a root, a signer CA, and one device certificate per element. Its keys live in memory only; Imprint trusts
 * it solely where its root is configured, which production never does.
 */
public final class SimulatedVendor {
    private static final Duration LIFETIME = Duration.ofDays(365 * 30);

    private final String name;
    private final X509Certificate root;
    private final CaKey signerCa;

    public SimulatedVendor(String name) {
        this.name = name;
        Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        Instant notAfter = notBefore.plus(LIFETIME);
        KeyPair rootKey = EcKeys.p256();
        try {
            root = CertificateTemplates.selfSignedRoot(
                    new X500Name("O=" + name + ",CN=" + name + " Root CA (simulated)"),
                    rootKey.getPublic(),
                    new JcaContentSignerBuilder("SHA256withECDSA")
                            .setProvider(Providers.BC)
                            .build(rootKey.getPrivate()),
                    notBefore,
                    notAfter);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
        CaKey rootCa = new CaKey("vendor-root", rootKey.getPrivate(), Providers.BC, List.of(root));
        KeyPair signerKey = EcKeys.p256();
        X509Certificate signer = CertificateTemplates.subordinateCa(
                rootCa,
                new X500Name("O=" + name + ",CN=" + name + " Signer CA (simulated)"),
                signerKey.getPublic(),
                0,
                notBefore,
                notAfter);
        signerCa = new CaKey("vendor-signer", signerKey.getPrivate(), Providers.BC, List.of(signer, root));
    }

    private SimulatedVendor(String name, X509Certificate root, CaKey signerCa) {
        this.name = name;
        this.root = root;
        this.signerCa = signerCa;
    }

    /** Writes root.pem (what intake is configured with), signer.pem and signer.key (owner-only). */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("root.pem"), Pem.encode(root));
            Files.writeString(dir.resolve("signer.pem"), Pem.encode(signerCa.certificate()));
            Path key = dir.resolve("signer.key");
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    key, Pem.encode("PRIVATE KEY", signerCa.privateKey().getEncoded()));
            Files.writeString(dir.resolve("name"), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the simulated vendor to " + dir, e);
        }
    }

    /** The vendor {@link #save} wrote to {@code dir}. */
    public static SimulatedVendor load(Path dir) {
        try {
            X509Certificate root =
                    Pem.certificates(Files.readString(dir.resolve("root.pem"))).get(0);
            X509Certificate signer = Pem.certificates(Files.readString(dir.resolve("signer.pem")))
                    .get(0);
            byte[] key = Pem.decodeAll(Files.readString(dir.resolve("signer.key")), "PRIVATE KEY")
                    .get(0);
            PrivateKey signerKey =
                    KeyFactory.getInstance("EC", Providers.BC).generatePrivate(new PKCS8EncodedKeySpec(key));
            return new SimulatedVendor(
                    Files.readString(dir.resolve("name")).strip(),
                    root,
                    new CaKey("vendor-signer", signerKey, Providers.BC, List.of(signer, root)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the simulated vendor from " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the simulated vendor key in " + dir + " is unreadable", e);
        }
    }

    public X509Certificate root() {
        return root;
    }

    /** The chain an element of this vendor ships for {@code elementKey}: device certificate, signer CA. */
    public List<X509Certificate> attest(PublicKey elementKey, String elementSerial) {
        Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        X509Certificate device = CertificateTemplates.clientAuth(
                signerCa,
                new X500Name("O=" + name + ",CN=sn" + elementSerial),
                elementKey,
                notBefore,
                notBefore.plus(LIFETIME));
        return List.of(device, signerCa.certificate());
    }

    /** {@link #attest} as the submission's {@code attestationChain} carries it. */
    public List<String> attestBase64(PublicKey elementKey, String elementSerial) {
        return attest(elementKey, elementSerial).stream()
                .map(SimulatedVendor::base64)
                .toList();
    }

    /**
     * A manifest in Microchip's format for the given elements (unique id to device key), signed by this vendor's
     * signer CA, whose certificate (signer.pem) is then what intake trusts as the manifest signer.
     */
    public String signedManifest(Map<String, PublicKey> elements) {
        StringBuilder manifest = new StringBuilder("[");
        for (Map.Entry<String, PublicKey> element : elements.entrySet()) {
            manifest.append(manifest.length() > 1 ? "," : "")
                    .append(manifestEntry(
                            element.getKey(),
                            element.getValue(),
                            signerCa.certificate(),
                            signerCa.privateKey(),
                            UnaryOperator.identity()));
        }
        return manifest.append(']').toString();
    }

    /** One entry: a flattened JWS, ES256, naming its signer by x5t#S256; {@code edit} alters the header first. */
    public static String manifestEntry(
            String uniqueId,
            PublicKey device,
            X509Certificate signer,
            PrivateKey signerKey,
            UnaryOperator<String> edit) {
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        try {
            ECPoint point = ((ECPublicKey) device).getW();
            String thumbprint = base64url.encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(signer.getEncoded()));
            String header = edit.apply(
                    "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"simulated\",\"x5t#S256\":\"" + thumbprint + "\"}");
            String payload = "{\"version\":1,\"model\":\"ATECC608A\",\"partNumber\":\"ATECC608A-TNGTLS\","
                    + "\"uniqueId\":\"" + uniqueId + "\",\"publicKeySet\":{\"keys\":[{\"kid\":\"0\",\"kty\":\"EC\","
                    + "\"crv\":\"P-256\",\"x\":\"" + coordinate(point.getAffineX()) + "\",\"y\":\""
                    + coordinate(point.getAffineY()) + "\"}]}}";
            String protectedPart = base64url.encodeToString(header.getBytes(StandardCharsets.UTF_8));
            String payloadPart = base64url.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            Signature signature = Signature.getInstance("SHA256withPLAIN-ECDSA", Providers.BC);
            signature.initSign(signerKey);
            signature.update((protectedPart + "." + payloadPart).getBytes(StandardCharsets.US_ASCII));
            return "{\"payload\":\"" + payloadPart + "\",\"protected\":\"" + protectedPart
                    + "\",\"header\":{\"uniqueId\":\"" + uniqueId + "\"},\"signature\":\""
                    + base64url.encodeToString(signature.sign()) + "\"}";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copy, fixed, 32 - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    private static String base64(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
