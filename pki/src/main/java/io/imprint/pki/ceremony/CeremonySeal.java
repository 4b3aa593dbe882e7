package io.imprint.pki.ceremony;

import io.imprint.pki.Providers;
import io.imprint.pki.csr.SignatureVerifier;
import io.imprint.pki.signing.DetachedCms;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;

/**
 * Checks a sealed ceremony transcript ({@link CeremonyTranscript}) as audit takes it: one signature, over exactly
 * these bytes, by a CA certificate carried in the signature that chains to one of the given roots and was valid
 * when it signed. Also reads what the transcript says it did: its command, and the stations it enrolled.
 */
public final class CeremonySeal {
    private static final Pattern COMMAND = Pattern.compile("^\\S+ command (\\S+) on ");
    private static final Pattern ENROLLED_STATION =
            Pattern.compile("^\\S+ enrolled station ([A-Za-z0-9._-]+) of factory ([A-Za-z0-9-]+)", Pattern.MULTILINE);
    private static final int MAX_CHAIN = 5;

    private CeremonySeal() {}

    /** Why a transcript's seal is refused, as a sentence. */
    public static final class InvalidSeal extends RuntimeException {
        InvalidSeal(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A transcript whose seal holds.
     *
     * @param command the ceremony command its first line names
     * @param sealedBy the certificate of the CA key that sealed it
     * @param sealedAt the signing time its signature carries, or null when it carries none
     * @param stations each station it enrolled, as {@code factory/station}
     * @param text the transcript, decoded
     */
    public record Sealed(
            String command, X509Certificate sealedBy, Instant sealedAt, List<String> stations, String text) {}

    /**
     * The transcript, once its seal holds.
     *
     * @throws InvalidSeal when the signature is malformed, not over these bytes, not by a certificate chaining to
     *     one of {@code roots}, or made outside a certificate's validity; or when the transcript is not UTF-8 text
     *     or names no command
     */
    public static Sealed verify(byte[] transcript, byte[] signature, Collection<X509Certificate> roots) {
        CMSSignedData signed;
        List<X509Certificate> carried = new ArrayList<>();
        try {
            signed = new CMSSignedData(new CMSProcessableByteArray(transcript), signature);
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(Providers.BC);
            for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
                carried.add(converter.getCertificate(holder));
            }
        } catch (CMSException | CertificateException | RuntimeException e) {
            throw new InvalidSeal("the signature is not a DER CMS SignedData");
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new InvalidSeal("the signature must have exactly one signer, it has " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        X509Certificate sealer = carried.stream()
                .filter(c -> matches(signer, c))
                .findFirst()
                .orElseThrow(() -> new InvalidSeal("the signature does not carry its signer's certificate"));
        if (!DetachedCms.verifies(signature, transcript, sealer)) {
            throw new InvalidSeal(
                    "the signature does not verify over this transcript: it was edited or belongs to" + " another one");
        }
        if (sealer.getBasicConstraints() < 0) {
            throw new InvalidSeal(
                    "sealed by " + sealer.getSubjectX500Principal().getName()
                            + ", which is not a CA: ceremonies are sealed by the CA key that performed them");
        }
        Instant sealedAt = signingTime(signer);
        chainToRoot(sealer, carried, roots, sealedAt);
        String text;
        try {
            // Strictly: a reader re-checks the seal over the text as published, so it must give back these bytes.
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(transcript))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSeal("the transcript is not UTF-8 text");
        }
        Matcher command = COMMAND.matcher(text);
        if (!command.find()) {
            throw new InvalidSeal("the transcript's first line names no ceremony command");
        }
        List<String> stations = new ArrayList<>();
        Matcher enrolled = ENROLLED_STATION.matcher(text);
        while (enrolled.find()) {
            stations.add(enrolled.group(2) + "/" + enrolled.group(1));
        }
        return new Sealed(command.group(1), sealer, sealedAt, List.copyOf(stations), text);
    }

    private static void chainToRoot(
            X509Certificate sealer, List<X509Certificate> carried, Collection<X509Certificate> roots, Instant at) {
        X509Certificate current = sealer;
        for (int depth = 0; depth <= MAX_CHAIN; depth++) {
            validAt(current, at);
            if (isRoot(current, roots)) {
                return;
            }
            X509Certificate issuer = issuerOf(current, carried, roots);
            if (issuer == null) {
                throw new InvalidSeal("sealed by "
                        + sealer.getSubjectX500Principal().getName() + ", which does not chain to a trusted root");
            }
            current = issuer;
        }
        throw new InvalidSeal("the sealer's chain is longer than " + MAX_CHAIN);
    }

    private static boolean isRoot(X509Certificate certificate, Collection<X509Certificate> roots) {
        try {
            byte[] encoded = certificate.getEncoded();
            for (X509Certificate root : roots) {
                if (Arrays.equals(encoded, root.getEncoded())) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A CA certificate, carried or trusted, that names and signed {@code certificate}; null when none does. */
    private static X509Certificate issuerOf(
            X509Certificate certificate, List<X509Certificate> carried, Collection<X509Certificate> roots) {
        List<X509Certificate> candidates = new ArrayList<>(roots);
        candidates.addAll(carried);
        for (X509Certificate candidate : candidates) {
            // A self-signed certificate that is no trusted root ends the chain: it is not its own way in.
            if (candidate.equals(certificate)
                    || candidate.getBasicConstraints() < 0
                    || !candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            // Same name, another key: not this certificate's issuer.
            if (SignatureVerifier.verifyCertificate(certificate, candidate.getPublicKey())) {
                return candidate;
            }
        }
        return null;
    }

    private static void validAt(X509Certificate certificate, Instant at) {
        try {
            certificate.checkValidity(Date.from(at == null ? Instant.now() : at));
        } catch (CertificateException e) {
            throw new InvalidSeal(certificate.getSubjectX500Principal().getName() + " was not valid when the"
                    + " transcript was sealed");
        }
    }

    private static boolean matches(SignerInformation signer, X509Certificate certificate) {
        try {
            return signer.getSID().match(new X509CertificateHolder(certificate.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    private static Instant signingTime(SignerInformation signer) {
        if (signer.getSignedAttributes() == null) {
            return null;
        }
        Attribute time = signer.getSignedAttributes().get(CMSAttributes.signingTime);
        if (time == null || time.getAttrValues().size() != 1) {
            return null;
        }
        return Time.getInstance(time.getAttrValues().getObjectAt(0)).getDate().toInstant();
    }
}
