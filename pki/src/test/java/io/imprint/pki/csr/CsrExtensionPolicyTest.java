package io.imprint.pki.csr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.TestPki;
import java.security.KeyPair;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/** What a CSR may request, and the raw r||s signatures secure elements make. */
class CsrExtensionPolicyTest {
    private static final String DEVICE = "SN-0002";
    private final CsrValidator validator = new CsrValidator();
    private final KeyPair key = TestPki.ec("secp256r1");

    @Test
    void acceptsRawRsSignatureUnderPlainEcdsaOid() throws Exception {
        assertEquals(
                DEVICE,
                validator
                        .validate(CsrBuilder.devicePem(DEVICE, key, "SHA256withPLAIN-ECDSA"), DEVICE)
                        .deviceId());
    }

    @Test
    void acceptsSubjectAltNameThatNamesTheDeviceAndIgnoresKeyUsage() throws Exception {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, DEVICE)));
        extensions.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
        assertEquals(
                DEVICE,
                validator
                        .validate(csr(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate()), DEVICE)
                        .deviceId());
    }

    @Test
    void rejectsSubjectAltNameForAnotherName() {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        add(
                extensions,
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "bank.example")));
        assertReason(
                ReasonCode.CSR_SUBJECT_MISMATCH,
                csr(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate()));
    }

    @Test
    void rejectsRequestForCaCertificate() {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        add(extensions, Extension.basicConstraints, true, new BasicConstraints(true));
        assertReason(
                ReasonCode.CSR_EXTENSION_NOT_ALLOWED,
                csr(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate()));
    }

    @Test
    void rejectsUnknownCriticalExtension() {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        add(extensions, new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, new DERPrintableString("x"));
        assertReason(
                ReasonCode.CSR_EXTENSION_NOT_ALLOWED,
                csr(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate()));
    }

    /** The order refuses it, unless it ignores challengePassword (OrderRulesTest). */
    @Test
    void reportsChallengePasswordAttributeForTheOrderToDecide() throws Exception {
        assertEquals(
                java.util.Set.of(PKCSObjectIdentifiers.pkcs_9_at_challengePassword.getId()),
                validator
                        .validate(
                                csr(
                                        PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                                        new DERPrintableString("secret")),
                                DEVICE)
                        .attributeTypes());
    }

    private void assertReason(ReasonCode expected, String pem) {
        RequestRejectedException e =
                assertThrows(RequestRejectedException.class, () -> validator.validate(pem, DEVICE));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    private static void add(
            ExtensionsGenerator extensions, ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            extensions.addExtension(oid, critical, value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String csr(ASN1ObjectIdentifier attribute, ASN1Encodable value) {
        try {
            return Pem.encode(new JcaPKCS10CertificationRequestBuilder(
                            new X500Name("CN=" + DEVICE + ",SERIALNUMBER=" + DEVICE), key.getPublic())
                    .addAttribute(attribute, value)
                    .build(new JcaContentSignerBuilder("SHA256withECDSA")
                            .setProvider(Providers.BC)
                            .build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
