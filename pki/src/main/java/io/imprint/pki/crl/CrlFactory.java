package io.imprint.pki.crl;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.csr.SignatureVerifier;
import io.imprint.pki.keys.CaKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.V2TBSCertListGenerator;
import org.bouncycastle.operator.ContentSigner;

/**
 * Builds and signs X.509 v2 CRLs (RFC 5280 5.1) from entries: CRL number and AKI extensions, a reason code on
 * each entry (omitted for "unspecified", as 5.3.1 recommends), and for a partition its critical Issuing
 * Distribution Point, for a delta CRL its critical Delta CRL Indicator, for a full CRL with deltas its Freshest CRL
 * pointer. The signature is checked with the issuer's public key before the CRL is returned.
 */
public final class CrlFactory {

    /** A full CRL of every certificate of the CA. */
    public X509CRL build(
            CaKey issuer, long crlNumber, Instant thisUpdate, Instant nextUpdate, List<RevokedEntry> entries) {
        return build(issuer, crlNumber, thisUpdate, nextUpdate, entries, CrlScope.WHOLE_CA);
    }

    /** As {@link #sign}, parsed. */
    public X509CRL build(
            CaKey issuer,
            long crlNumber,
            Instant thisUpdate,
            Instant nextUpdate,
            List<RevokedEntry> entries,
            CrlScope scope) {
        return parse(sign(issuer, crlNumber, thisUpdate, nextUpdate, entries, scope));
    }

    /**
     * The DER CRL, signed and its signature checked. Built from the ASN.1 up rather than through BouncyCastle's
     * CRL builder, which formats each entry's date with a {@code SimpleDateFormat} and re-encodes the whole list to
     * check the signature: for a million revocations that was half the time. The TBS is encoded once; those same
     * bytes are signed, verified and wrapped.
     */
    public byte[] sign(
            CaKey issuer,
            long crlNumber,
            Instant thisUpdate,
            Instant nextUpdate,
            List<RevokedEntry> entries,
            CrlScope scope) {
        try {
            ContentSigner signer = issuer.contentSigner();
            V2TBSCertListGenerator tbs = new V2TBSCertListGenerator();
            tbs.setSignature(signer.getAlgorithmIdentifier());
            tbs.setIssuer(X500Name.getInstance(
                    issuer.certificate().getSubjectX500Principal().getEncoded()));
            tbs.setThisUpdate(CrlTimes.of(thisUpdate));
            tbs.setNextUpdate(CrlTimes.of(nextUpdate));
            for (RevokedEntry entry : entries) {
                tbs.addCRLEntry(
                        new ASN1Integer(entry.serial()), CrlTimes.of(entry.revokedAt()), reason(entry.reasonCode()));
            }
            tbs.setExtensions(extensions(issuer, crlNumber, scope));
            byte[] tbsDer = tbs.generateTBSCertList().getEncoded(ASN1Encoding.DER);
            try (OutputStream out = signer.getOutputStream()) {
                out.write(tbsDer);
            }
            byte[] signature = signer.getSignature();
            if (!SignatureVerifier.verify(
                    issuer.signatureAlgorithm(), issuer.certificate().getPublicKey(), tbsDer, signature)) {
                throw new GeneralSecurityException("the CRL just signed does not verify with the CA's public key");
            }
            return certificateList(tbsDer, signer.getAlgorithmIdentifier(), signature);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build CRL " + crlNumber + ": " + e.getMessage(), e);
        }
    }

    private static Extensions extensions(CaKey issuer, long crlNumber, CrlScope scope) throws IOException {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber)));
        extensions.addExtension(
                Extension.authorityKeyIdentifier,
                false,
                CertificateTemplates.authorityKeyIdentifier(issuer.certificate()));
        if (scope.distributionPoint() != null) {
            extensions.addExtension(
                    Extension.issuingDistributionPoint, true, issuingDistributionPoint(scope.distributionPoint()));
        }
        if (scope.isDelta()) {
            extensions.addExtension(
                    Extension.deltaCRLIndicator, true, new CRLNumber(BigInteger.valueOf(scope.deltaBase())));
        }
        if (scope.freshestCrl() != null) {
            extensions.addExtension(
                    Extension.freshestCRL, false, CertificateTemplates.crlDistributionPoint(scope.freshestCrl()));
        }
        return extensions.generate();
    }

    /** An entry's reason code extension, made once per code; none for "unspecified" (RFC 5280 5.3.1). */
    private static Extensions reason(int code) {
        return code == CRLReason.unspecified ? null : REASONS.computeIfAbsent(code, CrlFactory::reasonExtension);
    }

    private static Extensions reasonExtension(int code) {
        try {
            ExtensionsGenerator generator = new ExtensionsGenerator();
            generator.addExtension(Extension.reasonCode, false, CRLReason.lookup(code));
            return generator.generate();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Map<Integer, Extensions> REASONS = new ConcurrentHashMap<>();

    /** CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }, the TBS as encoded. */
    private static byte[] certificateList(byte[] tbsDer, AlgorithmIdentifier algorithm, byte[] signature)
            throws IOException {
        byte[] algorithmDer = algorithm.getEncoded(ASN1Encoding.DER);
        byte[] signatureDer = new DERBitString(signature).getEncoded(ASN1Encoding.DER);
        int length = tbsDer.length + algorithmDer.length + signatureDer.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(0x30);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.write(tbsDer);
        out.write(algorithmDer);
        out.write(signatureDer);
        return out.toByteArray();
    }

    /** RFC 5280 5.2.5: this CRL covers the end-entity certificates whose distribution point is {@code url}. */
    static IssuingDistributionPoint issuingDistributionPoint(String url) {
        return new IssuingDistributionPoint(
                new DistributionPointName(
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url))),
                true,
                false,
                null,
                false,
                false);
    }

    /** Parses a DER CRL, unverified. */
    public static X509CRL parse(byte[] der) {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a DER CRL: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a DER CRL and checks it is signed by {@code issuer} and carries the expected CRL number; a
     * service never serves a CRL its CA did not sign.
     */
    public static X509CRL verify(byte[] der, X509Certificate issuer, long expectedNumber) {
        X509CRL crl = parse(der);
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new IllegalArgumentException(
                    "CRL issuer is " + crl.getIssuerX500Principal().getName() + ", not "
                            + issuer.getSubjectX500Principal().getName());
        }
        if (!SignatureVerifier.verifyCrl(crl, issuer.getPublicKey())) {
            throw new IllegalArgumentException("CRL signature does not verify with the CA's public key");
        }
        byte[] number = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (number == null
                || !ASN1Integer.getInstance(ASN1OctetString.getInstance(number).getOctets())
                        .getValue()
                        .equals(BigInteger.valueOf(expectedNumber))) {
            throw new IllegalArgumentException("CRL number does not match " + expectedNumber);
        }
        return crl;
    }
}
