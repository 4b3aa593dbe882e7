package io.imprint.pki.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certification declarations signed as the CSA signs them (CMS, signer named by key id), by a test signer. */
class MatterCertificationDeclarationTest {
    private static final MatterAttestation.Identity DEVICE = new MatterAttestation.Identity(0xFFF1, 0x8000);

    @TempDir
    static Path dir;

    private static Openssl openssl;
    private static X509Certificate cdSigner;
    private static X509Certificate paa;

    @BeforeAll
    static void signers() {
        openssl = new Openssl(dir);
        cdSigner = openssl.root("cd-signer", "/CN=Matter Test CD Signing Authority");
        // its key signs the untrusted declaration below; only the trusted signer is configured
        openssl.root("other-signer", "/CN=Look-alike CD Signing Authority");
        paa = openssl.root("paa", "/CN=Matter Test PAA");
    }

    @Test
    void okADeclarationForTheDevicesVendorAndProductCoversIt() throws Exception {
        MatterCertificationDeclaration declaration = MatterCertificationDeclaration.verify(
                signed(declaration(0xFFF1, List.of(0x8000, 0x8001), null, null), "cd-signer"), List.of(cdSigner));
        assertEquals(Set.of(0x8000, 0x8001), declaration.productIds());
        declaration.checkCovers(DEVICE, paa);
    }

    @Test
    void okAWhiteLabelDeclarationCoversTheDacOrigin() throws Exception {
        MatterCertificationDeclaration.verify(
                        signed(declaration(0xFFF2, List.of(0x0001), 0xFFF1, 0x8000), "cd-signer"), List.of(cdSigner))
                .checkCovers(DEVICE, paa);
    }

    @Test
    void failAProductTheDeclarationDoesNotListIsNotCovered() {
        assertNotCovered(declaration(0xFFF1, List.of(0x8001), null, null), DEVICE);
        assertNotCovered(declaration(0xFFF2, List.of(0x8000), null, null), DEVICE);
        assertNotCovered(declaration(0xFFF2, List.of(0x8000), 0xFFF1, 0x8001), DEVICE);
    }

    @Test
    void failAPaaOutsideTheAuthorisedListIsNotCovered() throws Exception {
        byte[] otherKeyId = new byte[20];
        MatterCertificationDeclaration declaration =
                MatterCertificationDeclaration.parse(tlv(0xFFF1, List.of(0x8000), null, null, otherKeyId));
        RequestRejectedException e =
                assertThrows(RequestRejectedException.class, () -> declaration.checkCovers(DEVICE, paa));
        assertTrue(e.getMessage().contains("authorised PAA list"), e.getMessage());
        MatterCertificationDeclaration.parse(tlv(0xFFF1, List.of(0x8000), null, null, keyId(paa)))
                .checkCovers(DEVICE, paa);
    }

    @Test
    void failADeclarationNotSignedByATrustedSignerOrAlteredIsRefused() throws Exception {
        byte[] untrusted = signed(declaration(0xFFF1, List.of(0x8000), null, null), "other-signer");
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> MatterCertificationDeclaration.verify(untrusted, List.of(cdSigner)))
                .getMessage()
                .contains("not a trusted"));
        byte[] genuine = signed(declaration(0xFFF1, List.of(0x8000), null, null), "cd-signer");
        byte[] altered = genuine.clone();
        int vendorId = indexOf(altered, new byte[] {0x25, 0x01, (byte) 0xF1, (byte) 0xFF});
        altered[vendorId + 2] = (byte) 0xF2; // vendor FFF1 -> FFF2 inside the signed content
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> MatterCertificationDeclaration.verify(altered, List.of(cdSigner)))
                .getMessage()
                .contains("does not verify"));
        assertThrows(
                IllegalArgumentException.class,
                () -> MatterCertificationDeclaration.verify(new byte[] {0x30, 0}, List.of(cdSigner)));
    }

    @Test
    void failMalformedTlvIsRefused() {
        byte[] good = declaration(0xFFF1, List.of(0x8000), null, null);
        assertThrows(
                IllegalArgumentException.class,
                () -> MatterCertificationDeclaration.parse(java.util.Arrays.copyOf(good, good.length - 1)));
        byte[] version2 = good.clone();
        version2[3] = 2; // format_version
        assertThrows(IllegalArgumentException.class, () -> MatterCertificationDeclaration.parse(version2));
    }

    private static void assertNotCovered(byte[] tlv, MatterAttestation.Identity device) {
        RequestRejectedException e = assertThrows(
                RequestRejectedException.class,
                () -> MatterCertificationDeclaration.parse(tlv).checkCovers(device, paa));
        assertEquals(ReasonCode.ATTESTATION_INVALID, e.reason());
        assertTrue(e.getMessage().startsWith("attestation rule matter-certification-declaration:"), e.getMessage());
    }

    static byte[] declaration(int vendor, List<Integer> products, Integer originVendor, Integer originProduct) {
        return tlv(vendor, products, originVendor, originProduct, null);
    }

    /** The TLV of Matter's certification-elements, members in tag order as the specification lays them out. */
    static byte[] tlv(
            int vendor, List<Integer> products, Integer originVendor, Integer originProduct, byte[] paaKeyId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x15);
        u8(out, 0, 1);
        u16(out, 1, vendor);
        out.write(0x36);
        out.write(2);
        for (int product : products) {
            out.write(0x05);
            out.write(product & 0xFF);
            out.write(product >> 8);
        }
        out.write(0x18);
        out.write(0x26); // device_type_id, 32-bit
        out.write(3);
        out.writeBytes(new byte[] {0x16, 0x00, 0x00, 0x00});
        byte[] certificateId = "ZIG20141ZB330001-24".getBytes(StandardCharsets.UTF_8);
        out.write(0x2C);
        out.write(4);
        out.write(certificateId.length);
        out.writeBytes(certificateId);
        u8(out, 5, 0);
        u16(out, 6, 0);
        u16(out, 7, 0x2694);
        u8(out, 8, 0);
        if (originVendor != null) {
            u16(out, 9, originVendor);
            u16(out, 10, originProduct);
        }
        if (paaKeyId != null) {
            out.write(0x36);
            out.write(11);
            out.write(0x10);
            out.write(paaKeyId.length);
            out.writeBytes(paaKeyId);
            out.write(0x18);
        }
        out.write(0x18);
        return out.toByteArray();
    }

    private static void u8(ByteArrayOutputStream out, int tag, int value) {
        out.write(0x24);
        out.write(tag);
        out.write(value);
    }

    private static void u16(ByteArrayOutputStream out, int tag, int value) {
        out.write(0x25);
        out.write(tag);
        out.write(value & 0xFF);
        out.write(value >> 8);
    }

    /** CMS SignedData as the CSA makes it: SHA-256, ECDSA, signer by subject key id, no signed attributes. */
    static byte[] signed(byte[] content, String signerName) throws Exception {
        X509Certificate certificate = openssl.certificate(signerName);
        openssl.run(
                "pkcs8",
                "-topk8",
                "-nocrypt",
                "-in",
                signerName + ".key",
                "-outform",
                "DER",
                "-out",
                signerName + ".p8");
        PrivateKey key = KeyFactory.getInstance("EC", Providers.BC)
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve(signerName + ".p8"))));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                        .setProvider(Providers.BC)
                        .build())
                .setDirectSignature(true)
                .build(
                        new JcaContentSignerBuilder("SHA256withECDSA")
                                .setProvider(Providers.BC)
                                .build(key),
                        keyId(certificate)));
        return generator.generate(new CMSProcessableByteArray(content), true).getEncoded();
    }

    private static byte[] keyId(X509Certificate certificate) {
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.14"))
                        .getOctets())
                .getKeyIdentifier();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        String hex = HexFormat.of().formatHex(data);
        int at = hex.indexOf(HexFormat.of().formatHex(pattern));
        while (at % 2 != 0) {
            at = hex.indexOf(HexFormat.of().formatHex(pattern), at + 1);
        }
        return at / 2;
    }
}
