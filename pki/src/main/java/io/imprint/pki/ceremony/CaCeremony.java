package io.imprint.pki.ceremony;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.Pem;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.crl.RootCrls;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.operator.OperatorIdentity;
import io.imprint.pki.service.ServiceIdentity;
import io.imprint.pki.station.StationIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Creates Imprint's trust hierarchy inside a PKCS#11 token. Every key is generated in the token (sensitive,
 * not extractable); only certificates leave it. Idempotent: a key that already exists is kept, so running
 * the ceremony twice never replaces a CA.
 *
 * <p>Device identities and infrastructure identities are separate trust domains with separate roots, so a
 * relying party that trusts devices (the fleet platform, a cloud IoT endpoint) never accepts a factory
 * station or a service as a device:
 * <pre>
 * root-ca "Imprint Device Root CA" (self-signed, pathLen 1)
 *  +-- issuing-ca (pathLen 0) ---- device certificates; ocsp-responder (id-kp-OCSPSigning, ocsp-nocheck)
 * infrastructure-root-ca "Imprint Infrastructure Root CA" (self-signed, pathLen 1)
 *  +-- station-ca (pathLen 0, permitted subtree OU=Imprint factory station) ---- station certificates
 *  +-- service-ca (pathLen 0, permitted subtree OU=Imprint service) ---- broker, services, administrators
 * </pre>
 * The name constraints mean a station CA cannot certify a service identity (or the reverse), whatever it
 * is asked to sign. Device root and issuing CA carry the IEEE 802.1AR "no well-defined expiration" date,
 * so device certificates issued under them may too.
 */
public final class CaCeremony {
    static final Instant FOREVER = Instant.parse("9999-12-31T23:59:59Z");
    /** Station CA and OCSP responder are operational keys, rolled more often than the CAs above them. */
    static final Duration OPERATIONAL_KEY_LIFETIME = Duration.ofDays(2 * 365);
    /** The infrastructure root outlives the operational CAs below it, which it re-certifies when rolled. */
    static final Duration INFRASTRUCTURE_ROOT_LIFETIME = Duration.ofDays(20 * 365);
    /** A station credential lasts one shift by default and never longer than a week. */
    public static final Duration MAX_STATION_VALIDITY = Duration.ofDays(7);
    /** A service identity is re-issued by re-enrolment well before it ends. */
    public static final Duration MAX_SERVICE_VALIDITY = Duration.ofDays(398);
    /** Operators re-enrol often: a person who leaves keeps a working certificate at most this long. */
    public static final Duration MAX_OPERATOR_VALIDITY = Duration.ofDays(90);

    /** Where the roots' CRLs are kept, beside the exported certificates. */
    public static final String ROOT_CRLS = "root-crls";

    private final Pkcs11KeyBackend token;
    private final String organization;
    private final Consumer<String> transcript;
    private final String publicUrl;

    public CaCeremony(Pkcs11KeyBackend token, String organization, Consumer<String> transcript) {
        this(token, organization, transcript, null);
    }

    /**
     * @param publicUrl where revocation serves CRLs ({@code <url>/crl/<key id>}): each CA certificate made here
     *     names its root's CRL there; null for none
     */
    public CaCeremony(Pkcs11KeyBackend token, String organization, Consumer<String> transcript, String publicUrl) {
        this.token = token;
        this.organization = organization;
        this.transcript = transcript;
        this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
    }

    /** Ensures the eight keys exist, then exports their certificates as PEM files into {@code out}. */
    public void createHierarchy(Path out, Instant now) {
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        CaKey root = ensure(
                KeyAliases.ROOT_CA,
                null,
                "Imprint Device Root CA",
                (key) -> CertificateTemplates.selfSignedRoot(
                        name("Imprint Device Root CA"),
                        key.getPublic(),
                        new TokenSigner(token, key).contentSigner(),
                        start,
                        FOREVER));
        CaKey issuing = ensure(
                KeyAliases.ISSUING_CA,
                root,
                "Imprint Issuing CA 1",
                (key) -> CertificateTemplates.subordinateCa(
                        root, name("Imprint Issuing CA 1"), key.getPublic(), 0, start, FOREVER, null, crlUrl(root)));
        CaKey ocsp = ensure(
                KeyAliases.OCSP_RESPONDER,
                issuing,
                "Imprint OCSP Responder",
                (key) -> CertificateTemplates.ocspResponder(
                        issuing,
                        name("Imprint OCSP Responder"),
                        key.getPublic(),
                        start,
                        start.plus(OPERATIONAL_KEY_LIFETIME)));
        CaKey infrastructure = ensure(
                KeyAliases.INFRASTRUCTURE_ROOT_CA,
                null,
                "Imprint Infrastructure Root CA",
                (key) -> CertificateTemplates.selfSignedRoot(
                        name("Imprint Infrastructure Root CA"),
                        key.getPublic(),
                        new TokenSigner(token, key).contentSigner(),
                        start,
                        start.plus(INFRASTRUCTURE_ROOT_LIFETIME)));
        CaKey station = ensure(
                KeyAliases.STATION_CA,
                infrastructure,
                "Imprint Station CA",
                (key) -> CertificateTemplates.subordinateCa(
                        infrastructure,
                        name("Imprint Station CA"),
                        key.getPublic(),
                        0,
                        start,
                        start.plus(OPERATIONAL_KEY_LIFETIME),
                        permitted(StationIdentity.ORGANIZATIONAL_UNIT),
                        crlUrl(infrastructure)));
        CaKey service = ensure(
                KeyAliases.SERVICE_CA,
                infrastructure,
                "Imprint Service CA",
                (key) -> CertificateTemplates.subordinateCa(
                        infrastructure,
                        name("Imprint Service CA"),
                        key.getPublic(),
                        0,
                        start,
                        start.plus(OPERATIONAL_KEY_LIFETIME),
                        permitted(ServiceIdentity.ORGANIZATIONAL_UNIT),
                        crlUrl(infrastructure)));
        CaKey operator = ensure(
                KeyAliases.OPERATOR_CA,
                infrastructure,
                "Imprint Operator CA",
                (key) -> CertificateTemplates.subordinateCa(
                        infrastructure,
                        name("Imprint Operator CA"),
                        key.getPublic(),
                        0,
                        start,
                        start.plus(OPERATIONAL_KEY_LIFETIME),
                        permitted(OperatorIdentity.ORGANIZATIONAL_UNIT),
                        crlUrl(infrastructure)));
        CaKey audit = ensure(
                KeyAliases.AUDIT_LOG,
                infrastructure,
                "Imprint Audit Log",
                (key) -> CertificateTemplates.auditLog(
                        infrastructure,
                        name("Imprint Audit Log"),
                        key.getPublic(),
                        start,
                        start.plus(OPERATIONAL_KEY_LIFETIME)));
        requireIssuedBy(station, infrastructure);
        write(out.resolve("root-ca.pem"), root.certificate());
        write(out.resolve("issuing-ca.pem"), issuing.certificate());
        write(out.resolve("ocsp-responder.pem"), ocsp.certificate());
        write(out.resolve("ca-chain.pem"), issuing.certificate(), root.certificate());
        write(out.resolve("infrastructure-root-ca.pem"), infrastructure.certificate());
        write(out.resolve("station-ca.pem"), station.certificate());
        write(out.resolve("service-ca.pem"), service.certificate());
        write(out.resolve("operator-ca.pem"), operator.certificate());
        write(out.resolve("audit-log.pem"), audit.certificate(), infrastructure.certificate());
        transcript.accept("exported certificates to " + out);
        for (CaKey r : List.of(root, infrastructure)) {
            if (rootCrls(out).current(r.certificate()).isEmpty()) {
                signRootCrl(r, List.of(), out, now);
            }
        }
    }

    /** The CRL URL of a root, for the CA certificates below it; null without a public URL. */
    private String crlUrl(CaKey root) {
        return publicUrl == null ? null : publicUrl + "/crl/" + IssuerKeyId.of(root.certificate());
    }

    private static RootCrls rootCrls(Path out) {
        return new RootCrls(out.resolve(ROOT_CRLS));
    }

    /** Re-signs a root's CRL with what it lists, before it lapses (RootCrls.VALIDITY). */
    public X509CRL signRootCrl(String rootAlias, Path out, Instant now) {
        return signRootCrl(requireRoot(rootAlias), List.of(), out, now);
    }

    /**
     * Revokes a CA certificate its root issued (an issuing, factory, station or service CA): the root's CRL lists
     * it from now on, so every certificate below it fails a relying party that checks the whole chain. The key
     * stays in the token (its own CRL and OCSP keep answering for what it issued).
     *
     * @param reasonCode RFC 5280 CRLReason
     */
    public X509CRL revokeCa(String alias, int reasonCode, Path out, Instant now) {
        return revokeCa("'" + alias + "'", token.key(alias).certificate(), reasonCode, out, now);
    }

    /**
     * As {@link #revokeCa(String, int, Path, Instant)} for a CA whose key is in another token (a factory's own): its
     * certificate is all the root needs.
     */
    public X509CRL revokeCa(X509Certificate ca, int reasonCode, Path out, Instant now) {
        return revokeCa(ca.getSubjectX500Principal().getName(), ca, reasonCode, out, now);
    }

    private X509CRL revokeCa(String name, X509Certificate ca, int reasonCode, Path out, Instant now) {
        CaKey root = token.key(rootOf(ca));
        if (ca.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(name + " is not a CA certificate");
        }
        X509CRL crl = signRootCrl(
                root,
                List.of(new RevokedEntry(ca.getSerialNumber(), now.truncatedTo(ChronoUnit.SECONDS), reasonCode)),
                out,
                now);
        transcript.accept(
                "revoked CA " + name + " (serial " + ca.getSerialNumber().toString(16) + ", reason " + reasonCode
                        + ") on the CRL of '" + root.alias() + "'");
        return crl;
    }

    /** The label of the root in this token that issued {@code ca}. */
    public String rootOf(X509Certificate ca) {
        for (String alias : List.of(KeyAliases.ROOT_CA, KeyAliases.INFRASTRUCTURE_ROOT_CA)) {
            X509Certificate root = token.key(alias).certificate();
            if (!ca.equals(root) && ca.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
                try {
                    ca.verify(root.getPublicKey());
                    return alias;
                } catch (GeneralSecurityException e) {
                    // another root of the same name; try the next
                }
            }
        }
        throw new IllegalArgumentException(
                "'" + ca.getSubjectX500Principal().getName() + "' is not a CA certified by one of the roots");
    }

    private X509CRL signRootCrl(CaKey root, List<RevokedEntry> added, Path out, Instant now) {
        X509CRL crl = rootCrls(out).sign(root, added, now);
        transcript.accept("signed CRL number " + RootCrls.number(crl) + " of '" + root.alias() + "': "
                + (crl.getRevokedCertificates() == null
                        ? 0
                        : crl.getRevokedCertificates().size())
                + " revoked CA(s), next update " + crl.getNextUpdate().toInstant() + ", "
                + rootCrls(out).file(root.certificate()));
        return crl;
    }

    private CaKey requireRoot(String alias) {
        if (!alias.equals(KeyAliases.ROOT_CA) && !alias.equals(KeyAliases.INFRASTRUCTURE_ROOT_CA)) {
            throw new IllegalArgumentException("'" + alias + "' is not a root; roots are " + KeyAliases.ROOT_CA
                    + " and " + KeyAliases.INFRASTRUCTURE_ROOT_CA);
        }
        return token.key(alias);
    }

    /** A station CA certified by the device root (a token from before the trust domains were split) is refused. */
    private static void requireIssuedBy(CaKey ca, CaKey root) {
        if (!ca.certificate().getIssuerX500Principal().equals(root.certificate().getSubjectX500Principal())) {
            throw new IllegalStateException("key '" + ca.alias() + "' is certified by "
                    + ca.certificate().getIssuerX500Principal().getName() + ", not by the infrastructure root: this"
                    + " token predates the separation of device and infrastructure identities; run the ceremony"
                    + " on a new token");
        }
    }

    /** A critical name constraint that permits only subjects starting with {@code OU=<unit>}. */
    private static NameConstraints permitted(String organizationalUnit) {
        X500Name subtree = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.OU, organizationalUnit)
                .build();
        return new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(new GeneralName(subtree))}, null);
    }

    /**
     * A per-factory issuing CA under the root, so one factory can be cut off by revoking one CA. Optional
     * name constraints (directory names such as {@code O=Acme,OU=Line 7}, or {@code dns:} domains) bind
     * what it may certify; {@code pathLength} 0 means it issues only end-entity certificates. The key is generated
     * in this token, beside the root; a factory with an HSM of its own uses {@link #requestFactoryCa},
     * {@link #certifyFactoryCa} and {@link #installFactoryCa} instead.
     */
    public CaKey issueFactoryCa(
            String factoryId, List<GeneralSubtree> permitted, int pathLength, Path out, Instant now) {
        CaKey root = token.key(KeyAliases.ROOT_CA);
        String alias = factoryCaAlias(factoryId);
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        CaKey factoryCa = ensure(
                alias,
                root,
                factoryCaName(factoryId),
                key -> factoryCaCertificate(root, factoryId, key.getPublic(), permitted, pathLength, start));
        transcript.accept(factoryCaLine(alias, permitted, pathLength));
        write(out.resolve(alias + ".pem"), factoryCa.certificate());
        return factoryCa;
    }

    /**
     * At the factory, in the factory's own token: generates the factory CA's key there and writes its certification
     * request ({@code <alias>.csr}, signed by the new key) for headquarters' root. Until {@link #installFactoryCa}
     * the key is kept under a self-signed placeholder that is no CA (a PKCS#11 key store lists a key only beside a
     * certificate). Asked again before the installation, it writes the request of the same key.
     */
    public PKCS10CertificationRequest requestFactoryCa(String factoryId, Path out, Instant now) {
        String alias = factoryCaAlias(factoryId);
        X500Name subject = name(factoryCaName(factoryId));
        CaKey pending;
        if (token.contains(alias)) {
            pending = token.key(alias);
            if (!isAwaitingCertification(pending)) {
                throw new IllegalStateException("'" + alias + "' is certified already; nothing to request");
            }
            transcript.accept("kept existing key '" + alias + "', awaiting certification");
        } else {
            KeyPair pair = token.generateEcKeyPair("secp256r1");
            Instant start = now.truncatedTo(ChronoUnit.SECONDS);
            X509Certificate placeholder = CertificateTemplates.selfSignedEndEntity(
                    name(factoryCaName(factoryId) + " (awaiting certification)"),
                    pair.getPublic(),
                    new TokenSigner(token, pair).contentSigner(),
                    start,
                    start.plus(OPERATIONAL_KEY_LIFETIME));
            token.store(alias, pair.getPrivate(), List.of(placeholder));
            pending = token.key(alias);
            transcript.accept("generated EC P-256 key '" + alias
                    + "' in the token (sensitive, not extractable), awaiting certification by the root");
        }
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                        subject, pending.certificate().getPublicKey())
                .build(pending.contentSigner());
        writePem(out.resolve(alias + ".csr"), Pem.encode(request));
        transcript.accept("certification request for '" + alias + "' (" + subject + ") written to "
                + out.resolve(alias + ".csr"));
        return request;
    }

    /**
     * At headquarters, with the root: certifies the factory CA key of a {@link #requestFactoryCa request} once its
     * signature proves the requester holds the key and its subject is the factory's CA name. Writes {@code
     * <alias>.pem}, which the factory installs and headquarters' consumers trust as an issuing CA.
     */
    public X509Certificate certifyFactoryCa(
            String factoryId,
            PKCS10CertificationRequest request,
            List<GeneralSubtree> permitted,
            int pathLength,
            Path out,
            Instant now) {
        String alias = factoryCaAlias(factoryId);
        X500Name expected = name(factoryCaName(factoryId));
        if (!expected.equals(request.getSubject())) {
            throw new IllegalArgumentException("the request names '" + request.getSubject()
                    + "', not the CA of factory " + factoryId + " ('" + expected + "')");
        }
        PublicKey key = FactoryCaRequests.verifiedKey(request);
        CaKey root = token.key(KeyAliases.ROOT_CA);
        X509Certificate certificate =
                factoryCaCertificate(root, factoryId, key, permitted, pathLength, now.truncatedTo(ChronoUnit.SECONDS));
        transcript.accept(factoryCaLine(alias, permitted, pathLength) + "; certified key of the request, serial "
                + certificate.getSerialNumber().toString(16));
        write(out.resolve(alias + ".pem"), certificate);
        return certificate;
    }

    /**
     * At the factory: puts the root's certificate of the factory CA beside the key {@link #requestFactoryCa} made,
     * after checking it certifies that very key as a CA under {@code root}; from then on the key signs.
     */
    public CaKey installFactoryCa(String factoryId, X509Certificate certificate, X509Certificate root) {
        String alias = factoryCaAlias(factoryId);
        if (!token.contains(alias)) {
            throw new IllegalStateException("no key '" + alias + "' in this token: request the factory CA here first");
        }
        CaKey pending = token.key(alias);
        if (!isAwaitingCertification(pending)) {
            if (pending.certificate().equals(certificate)) {
                transcript.accept("'" + alias + "' holds this certificate already");
                return pending;
            }
            throw new IllegalStateException("'" + alias + "' is certified already");
        }
        FactoryCaRequests.requireCertifies(
                certificate, root, pending.certificate().getPublicKey(), alias);
        token.store(alias, pending.privateKey(), List.of(certificate, root));
        transcript.accept("installed the certificate of '" + alias + "' (serial "
                + certificate.getSerialNumber().toString(16) + ", issued by " + root.getSubjectX500Principal()
                + ")");
        return token.key(alias);
    }

    private static String factoryCaAlias(String factoryId) {
        if (!factoryId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("factory id must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return KeyAliases.ISSUING_CA + "-" + factoryId;
    }

    private static String factoryCaName(String factoryId) {
        return "Imprint Issuing CA " + factoryId;
    }

    private static boolean isAwaitingCertification(CaKey key) {
        return key.chain().size() == 1 && key.certificate().getBasicConstraints() < 0;
    }

    private X509Certificate factoryCaCertificate(
            CaKey root,
            String factoryId,
            PublicKey key,
            List<GeneralSubtree> permitted,
            int pathLength,
            Instant start) {
        NameConstraints constraints =
                permitted.isEmpty() ? null : new NameConstraints(permitted.toArray(new GeneralSubtree[0]), null);
        return CertificateTemplates.subordinateCa(
                root, name(factoryCaName(factoryId)), key, pathLength, start, FOREVER, constraints, crlUrl(root));
    }

    private static String factoryCaLine(String alias, List<GeneralSubtree> permitted, int pathLength) {
        return "factory CA '" + alias + "': pathLen " + pathLength + ", name constraints "
                + (permitted.isEmpty() ? "none" : permitted.size() + " permitted subtree(s)");
    }

    /**
     * Rolls the issuing CA over: a new key and certificate under the root, labelled {@code newAlias}. The
     * old CA is kept in the token so it can go on signing CRLs and backing OCSP for what it issued; point
     * {@code imprint.signer.issuing-ca} at the new alias and keep the old one in {@code issuing-cas}.
     */
    public CaKey rollIssuingCa(String oldAlias, String newAlias, String commonName, Path out, Instant now) {
        CaKey old = token.key(oldAlias);
        if (oldAlias.equals(newAlias)) {
            throw new IllegalArgumentException("the new issuing CA needs a label of its own");
        }
        CaKey root = token.key(KeyAliases.ROOT_CA);
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        CaKey next = ensure(
                newAlias,
                root,
                commonName,
                key -> CertificateTemplates.subordinateCa(
                        root, name(commonName), key.getPublic(), 0, start, FOREVER, null, crlUrl(root)));
        transcript.accept("rolled issuing CA '" + oldAlias + "' (serial "
                + old.certificate().getSerialNumber().toString(16) + ") over to '" + newAlias + "'; '" + oldAlias
                + "' stays in the token for CRLs and OCSP");
        write(out.resolve(newAlias + ".pem"), next.certificate());
        return next;
    }

    /** A delegated OCSP responder certificate (RFC 6960) for the issuing CA labelled {@code issuerAlias}. */
    public CaKey issueOcspResponder(String issuerAlias, String alias, Path out, Instant now) {
        CaKey issuer = token.key(issuerAlias);
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        String commonName = "Imprint OCSP Responder for " + issuer.alias();
        CaKey responder = ensure(
                alias,
                issuer,
                commonName,
                key -> CertificateTemplates.ocspResponder(
                        issuer, name(commonName), key.getPublic(), start, start.plus(OPERATIONAL_KEY_LIFETIME)));
        write(out.resolve(alias + ".pem"), responder.certificate());
        return responder;
    }

    /** Issues a station certificate for a key the station generated itself; the station CA key stays in the token. */
    public X509Certificate enrolStation(
            StationIdentity identity, PublicKey stationKey, Duration validity, Instant now) {
        X509Certificate certificate = enrol(
                KeyAliases.STATION_CA,
                "station",
                validity,
                MAX_STATION_VALIDITY,
                now,
                (ca, notBefore, notAfter) ->
                        CertificateTemplates.clientAuth(ca, identity.subject(), stationKey, notBefore, notAfter));
        transcript.accept("enrolled station " + identity.stationId() + " of factory " + identity.factoryId()
                + ", serial " + certificate.getSerialNumber().toString(16) + ", valid until "
                + certificate.getNotAfter().toInstant());
        return certificate;
    }

    /**
     * Issues a service identity (Kafka client certificate and signer of its commands) for a key the service
     * generated itself; with {@code serverNames}, also a TLS server certificate for those names (the broker).
     */
    public X509Certificate enrolService(
            ServiceIdentity identity, PublicKey serviceKey, Duration validity, List<String> serverNames, Instant now) {
        X509Certificate certificate = enrol(
                KeyAliases.SERVICE_CA,
                "service",
                validity,
                MAX_SERVICE_VALIDITY,
                now,
                (ca, notBefore, notAfter) -> CertificateTemplates.serviceIdentity(
                        ca, identity.subject(), serviceKey, notBefore, notAfter, serverNames));
        transcript.accept("enrolled service " + identity.name()
                + (serverNames.isEmpty() ? "" : " (TLS server for " + String.join(", ", serverNames) + ")")
                + ", serial "
                + certificate.getSerialNumber().toString(16) + ", valid until "
                + certificate.getNotAfter().toInstant());
        return certificate;
    }

    /**
     * Issues an operator's client certificate for a key the operator generated; what the operator may do is
     * granted by each service's role configuration, not by the certificate.
     */
    public X509Certificate enrolOperator(
            OperatorIdentity identity, PublicKey operatorKey, Duration validity, Instant now) {
        X509Certificate certificate = enrol(
                KeyAliases.OPERATOR_CA,
                "operator",
                validity,
                MAX_OPERATOR_VALIDITY,
                now,
                (ca, notBefore, notAfter) ->
                        CertificateTemplates.clientAuth(ca, identity.subject(), operatorKey, notBefore, notAfter));
        transcript.accept("enrolled operator " + identity.name() + ", serial "
                + certificate.getSerialNumber().toString(16) + ", valid until "
                + certificate.getNotAfter().toInstant());
        return certificate;
    }

    /** The CA {@code caAlias} certifies an end entity for {@code validity} from now, within its own lifetime. */
    private X509Certificate enrol(
            String caAlias, String kind, Duration validity, Duration max, Instant now, EndEntityMaker maker) {
        if (validity.isNegative() || validity.isZero() || validity.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    kind + " validity must be positive and at most " + max.toDays() + " days");
        }
        CaKey ca = token.key(caAlias);
        Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(validity);
        if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
            throw new IllegalStateException("the " + kind + " CA certificate expires before this " + kind
                    + " certificate would; roll the " + kind + " CA");
        }
        return maker.make(ca, notBefore, notAfter);
    }

    @FunctionalInterface
    private interface EndEntityMaker {
        X509Certificate make(CaKey ca, Instant notBefore, Instant notAfter);
    }

    private CaKey ensure(String alias, CaKey issuer, String commonName, CertificateMaker maker) {
        if (token.contains(alias)) {
            transcript.accept("kept existing key '" + alias + "'");
            return token.key(alias);
        }
        KeyPair pair = token.generateEcKeyPair("secp256r1");
        X509Certificate certificate = maker.make(pair);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        if (issuer != null) {
            chain.addAll(issuer.chain());
        }
        token.store(alias, pair.getPrivate(), chain);
        transcript.accept("generated EC P-256 key '" + alias + "' in the token (sensitive, not extractable); "
                + commonName + ", serial " + certificate.getSerialNumber().toString(16));
        return token.key(alias);
    }

    private X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static void write(Path file, X509Certificate... certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            pem.append(Pem.encode(certificate));
        }
        writePem(file, pem.toString());
    }

    private static void writePem(Path file, String pem) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @FunctionalInterface
    private interface CertificateMaker {
        X509Certificate make(KeyPair key);
    }

    /** Signs a root's own certificate with its key, before any certificate is stored for it. */
    private record TokenSigner(Pkcs11KeyBackend token, KeyPair key) {
        ContentSigner contentSigner() {
            try {
                return new JcaContentSignerBuilder("SHA256withECDSA")
                        .setProvider(token.provider())
                        .build(key.getPrivate());
            } catch (OperatorCreationException e) {
                throw new IllegalStateException("the token cannot sign with the new root key", e);
            }
        }
    }
}
