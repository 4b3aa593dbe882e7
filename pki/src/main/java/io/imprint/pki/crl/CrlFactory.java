package io.imprint.pki.crl;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Providers;
import io.imprint.pki.csr.SignatureVerifier;
import io.imprint.pki.keys.CaKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;

/**
 * Builds and signs full X.509 v2 CRLs (RFC 5280 5.1) from entries: CRL number and AKI extensions, a
 * reason code on each entry (omitted for "unspecified", as 5.3.1 recommends). The signature is checked
 * with the issuer's public key before the CRL is returned.
 */
public final class CrlFactory {

    public X509CRL build(
            CaKey issuer, long crlNumber, Instant thisUpdate, Instant nextUpdate, List<RevokedEntry> entries) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(
                            issuer.certificate().getSubjectX500Principal().getEncoded()),
                    Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber)));
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    CertificateTemplates.authorityKeyIdentifier(issuer.certificate()));
            for (RevokedEntry entry : entries) {
                if (entry.reasonCode() == CRLReason.unspecified) {
                    builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), (Extensions) null);
                } else {
                    builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), entry.reasonCode());
                }
            }
            X509CRLHolder signed = builder.build(issuer.contentSigner());
            X509CRL crl = new JcaX509CRLConverter().setProvider(Providers.BC).getCRL(signed);
            if (!SignatureVerifier.verifyCrl(crl, issuer.certificate().getPublicKey())) {
                throw new GeneralSecurityException("the CRL just signed does not verify with the CA's public key");
            }
            return crl;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build CRL " + crlNumber + ": " + e.getMessage(), e);
        }
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
