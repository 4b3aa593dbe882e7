package io.imprint.pki.crl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.pki.TestPki;
import io.imprint.pki.keys.CaKey;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

class CrlFactoryTest {
    private static final TestPki PKI = new TestPki();

    @Test
    void encodesEntriesNumberReasonsAndWindowSignedByIssuer() throws Exception {
        List<RevokedEntry> entries = List.of(
                new RevokedEntry(BigInteger.valueOf(0xabcdef), TestPki.NOW.minusSeconds(60), CRLReason.keyCompromise),
                new RevokedEntry(BigInteger.valueOf(0x1234), TestPki.NOW.minusSeconds(30), CRLReason.unspecified));
        X509CRL crl = new CrlFactory().build(PKI.issuing, 42, TestPki.NOW, TestPki.NOW.plusSeconds(3600), entries);

        crl.verify(PKI.issuing.certificate().getPublicKey());
        assertEquals(2, crl.getVersion());
        assertEquals(PKI.issuing.certificate().getSubjectX500Principal(), crl.getIssuerX500Principal());
        assertEquals(TestPki.NOW, crl.getThisUpdate().toInstant());
        assertEquals(TestPki.NOW.plusSeconds(3600), crl.getNextUpdate().toInstant());
        byte[] number = ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId()))
                .getOctets();
        assertEquals(BigInteger.valueOf(42), ASN1Integer.getInstance(number).getValue());
        X509CRLEntry compromised = crl.getRevokedCertificate(BigInteger.valueOf(0xabcdef));
        assertEquals(java.security.cert.CRLReason.KEY_COMPROMISE, compromised.getRevocationReason());
        assertNull(
                crl.getRevokedCertificate(BigInteger.valueOf(0x1234)).getRevocationReason(),
                "unspecified is omitted (RFC 5280 5.3.1)");
        assertEquals(2, crl.getRevokedCertificates().size());
    }

    @Test
    void emptyCrlHasNoEntries() {
        X509CRL crl = new CrlFactory().build(PKI.issuing, 1, TestPki.NOW, TestPki.NOW.plusSeconds(60), List.of());
        assertNull(crl.getRevokedCertificates());
    }

    @Test
    void verifyRefusesCrlOfAnotherCaOrNumber() throws Exception {
        X509CRL crl = new CrlFactory().build(PKI.issuing, 5, TestPki.NOW, TestPki.NOW.plusSeconds(60), List.of());
        assertEquals(crl, CrlFactory.verify(crl.getEncoded(), PKI.issuing.certificate(), 5));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrlFactory.verify(crl.getEncoded(), PKI.stationCa.certificate(), 5));
        assertThrows(
                IllegalArgumentException.class,
                () -> CrlFactory.verify(crl.getEncoded(), PKI.issuing.certificate(), 6));
        CaKey wrongKey = new CaKey("forger", PKI.stationCa.privateKey(), PKI.stationCa.provider(), PKI.issuing.chain());
        assertThrows(
                IllegalStateException.class,
                () -> new CrlFactory().build(wrongKey, 5, TestPki.NOW, TestPki.NOW.plusSeconds(60), List.of()),
                "a CRL whose signature does not verify is never returned");
    }
}
