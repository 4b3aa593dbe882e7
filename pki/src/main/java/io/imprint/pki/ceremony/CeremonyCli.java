package io.imprint.pki.ceremony;

import io.imprint.pki.Pem;
import io.imprint.pki.cli.CliOptions;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.KeyBackendException;
import io.imprint.pki.keys.Pins;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.operator.OperatorIdentity;
import io.imprint.pki.service.ServiceIdentity;
import io.imprint.pki.station.StationIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The CA ceremony command. Token and PIN come from the environment, never from arguments:
 * {@code IMPRINT_HSM_LIBRARY} (default SoftHSM2), {@code IMPRINT_HSM_SLOT_INDEX} (default 0),
 * {@code IMPRINT_HSM_PIN} or {@code IMPRINT_HSM_PIN_FILE}.
 *
 * <pre>
 * init --out DIR [--org NAME]
 * enrol-station --factory ID --station ID --public-key FILE.pem [--hours 8] --out FILE.pem
 * enrol-service --service NAME[,NAME...] --dir DIR [--days 90] [--server-names 127.0.0.1,localhost]
 * enrol-operator --operator NAME --public-key FILE.pem [--days 30] --out FILE.pem
 * issue-factory-ca --factory ID --out DIR [--path-length 0] [--permitted 'O=Acme,OU=Line 7|dns:acme.example']
 * request-factory-ca --factory ID --out DIR          (the factory's token: key generated there, DIR/issuing-ca-ID.csr)
 * certify-factory-ca --factory ID --request FILE.csr --out DIR [--path-length 0] [--permitted ...]   (the root's token)
 * install-factory-ca --factory ID --certificate FILE.pem --root FILE.pem --out DIR   (the factory's token)
 * roll-issuing-ca --from ALIAS --to ALIAS --name 'Imprint Issuing CA 2' --out DIR
 * issue-ocsp-responder --issuer ALIAS --alias ALIAS --out DIR
 * revoke-ca --ca ALIAS | --certificate FILE.pem --reason keyCompromise --out DIR
 * sign-root-crl --root ALIAS --out DIR
 * </pre>
 * CA certificates name their root's CRL at {@code IMPRINT_PUBLIC_URL/crl/<root key id>}; the roots' CRLs are kept
 * in {@code DIR/root-crls}.
 * Every command writes a transcript sealed with a CMS signature by the CA key it used, into
 * {@code --transcripts DIR} (default {@code transcripts} beside {@code --out}).
 */
public final class CeremonyCli {
    private CeremonyCli() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (KeyBackendException | IllegalArgumentException | IllegalStateException | IOException e) {
            System.err.println("ca-ceremony: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0) {
            return usage();
        }
        CliOptions options = new CliOptions(args);
        Pkcs11KeyBackend token = new Pkcs11KeyBackend(
                new Pkcs11Config(
                        Path.of(env("IMPRINT_HSM_LIBRARY", Pkcs11Config.SOFTHSM2.toString())),
                        Integer.parseInt(env("IMPRINT_HSM_SLOT_INDEX", "0"))),
                () -> Pins.read("IMPRINT_HSM_PIN"));
        CeremonyTranscript transcript = new CeremonyTranscript(line -> System.out.println("ceremony: " + line));
        transcript.accept("command " + args[0] + " on " + token.description());
        CaCeremony ceremony =
                new CaCeremony(token, options.get("org", "Imprint"), transcript, System.getenv("IMPRINT_PUBLIC_URL"));
        Instant now = Instant.now();
        String sealedBy = KeyAliases.ROOT_CA;
        Path out;
        switch (args[0]) {
            case "init" -> {
                out = Path.of(options.required("out"));
                ceremony.createHierarchy(out, now);
            }
            case "enrol-station" -> {
                PublicKey key = readPublicKey(Path.of(options.required("public-key")));
                StationIdentity identity =
                        new StationIdentity(options.required("factory"), options.required("station"));
                Duration validity = Duration.ofHours(Long.parseLong(options.get("hours", "8")));
                X509Certificate certificate = ceremony.enrolStation(identity, key, validity, now);
                out = writeChain(Path.of(options.required("out")), certificate, token, KeyAliases.STATION_CA);
                sealedBy = KeyAliases.STATION_CA;
            }
            case "enrol-service" -> {
                // Several services in one ceremony: DIR/<name>/pub.pem in, DIR/<name>/cert.pem out.
                out = Path.of(options.required("dir"));
                Duration validity = Duration.ofDays(Long.parseLong(options.get("days", "90")));
                List<String> serverNames = list(options.get("server-names", ""));
                for (String name : list(options.required("service"))) {
                    Path dir = out.resolve(name);
                    X509Certificate certificate = ceremony.enrolService(
                            new ServiceIdentity(name),
                            readPublicKey(dir.resolve("pub.pem")),
                            validity,
                            serverNames,
                            now);
                    writeChain(dir.resolve("cert.pem"), certificate, token, KeyAliases.SERVICE_CA);
                }
                sealedBy = KeyAliases.SERVICE_CA;
            }
            case "enrol-operator" -> {
                X509Certificate certificate = ceremony.enrolOperator(
                        new OperatorIdentity(options.required("operator")),
                        readPublicKey(Path.of(options.required("public-key"))),
                        Duration.ofDays(Long.parseLong(options.get("days", "30"))),
                        now);
                out = writeChain(Path.of(options.required("out")), certificate, token, KeyAliases.OPERATOR_CA);
                sealedBy = KeyAliases.OPERATOR_CA;
            }
            case "issue-factory-ca" -> {
                out = Path.of(options.required("out"));
                ceremony.issueFactoryCa(
                        options.required("factory"),
                        subtrees(options.get("permitted", "")),
                        Integer.parseInt(options.get("path-length", "0")),
                        out,
                        now);
            }
            case "request-factory-ca" -> {
                out = Path.of(options.required("out"));
                String factory = options.required("factory");
                ceremony.requestFactoryCa(factory, out, now);
                sealedBy = KeyAliases.ISSUING_CA + "-" + factory;
            }
            case "certify-factory-ca" -> {
                out = Path.of(options.required("out"));
                ceremony.certifyFactoryCa(
                        options.required("factory"),
                        readRequest(Path.of(options.required("request"))),
                        subtrees(options.get("permitted", "")),
                        Integer.parseInt(options.get("path-length", "0")),
                        out,
                        now);
            }
            case "install-factory-ca" -> {
                out = Path.of(options.required("out"));
                CaKey installed = ceremony.installFactoryCa(
                        options.required("factory"),
                        readCertificate(Path.of(options.required("certificate"))),
                        readCertificate(Path.of(options.required("root"))));
                sealedBy = installed.alias();
            }
            case "roll-issuing-ca" -> {
                out = Path.of(options.required("out"));
                ceremony.rollIssuingCa(
                        options.required("from"), options.required("to"), options.required("name"), out, now);
            }
            case "issue-ocsp-responder" -> {
                out = Path.of(options.required("out"));
                sealedBy = options.required("issuer");
                ceremony.issueOcspResponder(sealedBy, options.required("alias"), out, now);
            }
            case "revoke-ca" -> {
                // --ca names a CA in this token; --certificate one whose key is elsewhere (a factory's own token).
                out = Path.of(options.required("out"));
                X509Certificate ca = options.get("certificate", "").isEmpty()
                        ? token.key(options.required("ca")).certificate()
                        : readCertificate(Path.of(options.required("certificate")));
                ceremony.revokeCa(ca, reasonCode(options.get("reason", "unspecified")), out, now);
                sealedBy = ceremony.rootOf(ca);
            }
            case "sign-root-crl" -> {
                out = Path.of(options.required("out"));
                sealedBy = options.required("root");
                ceremony.signRootCrl(sealedBy, out, now);
            }
            default -> {
                return usage();
            }
        }
        Path transcripts =
                Path.of(options.get("transcripts", out.resolve("transcripts").toString()));
        Path sealed = transcript.seal(token.key(sealedBy), transcripts, args[0], now);
        System.out.println("ceremony: transcript " + sealed + " (signature "
                + sealed.getFileName().toString().replace(".txt", ".p7s") + ")");
        return 0;
    }

    /**
     * Writes the certificate followed by its issuing CA's, which a TLS client presents so the broker can build
     * the path to the infrastructure root; returns the folder.
     */
    private static Path writeChain(Path file, X509Certificate certificate, Pkcs11KeyBackend token, String caAlias)
            throws IOException {
        Files.writeString(
                file, Pem.encode(certificate) + Pem.encode(token.key(caAlias).certificate()));
        return file.toAbsolutePath().getParent();
    }

    /** RFC 5280 CRLReason by its ASN.1 name, as openssl prints it: keyCompromise, cACompromise, ... */
    static int reasonCode(String name) {
        List<String> names = List.of(
                "unspecified",
                "keyCompromise",
                "cACompromise",
                "affiliationChanged",
                "superseded",
                "cessationOfOperation");
        int code = names.stream()
                .map(n -> n.toLowerCase(java.util.Locale.ROOT))
                .toList()
                .indexOf(name.toLowerCase(java.util.Locale.ROOT));
        if (code < 0) {
            throw new IllegalArgumentException("reason must be one of " + names);
        }
        return code;
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::strip)
                .filter(n -> !n.isEmpty())
                .toList();
    }

    /** {@code |}-separated subtrees: directory names, or {@code dns:} domains. */
    static List<GeneralSubtree> subtrees(String spec) {
        List<GeneralSubtree> subtrees = new ArrayList<>();
        for (String part : spec.split("\\|", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                continue;
            }
            GeneralName general = name.startsWith("dns:")
                    ? new GeneralName(GeneralName.dNSName, name.substring(4))
                    : new GeneralName(new X500Name(name));
            subtrees.add(new GeneralSubtree(general));
        }
        return subtrees;
    }

    private static PKCS10CertificationRequest readRequest(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            if (!(parser.readObject() instanceof PKCS10CertificationRequest request)) {
                throw new IllegalArgumentException(file + " is not a PEM certification request");
            }
            return request;
        }
    }

    private static X509Certificate readCertificate(Path file) throws IOException {
        List<X509Certificate> certificates = Pem.certificates(Files.readString(file));
        if (certificates.size() != 1) {
            throw new IllegalArgumentException(file + " must hold exactly one PEM certificate");
        }
        return certificates.get(0);
    }

    private static PublicKey readPublicKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            Object object = parser.readObject();
            if (!(object instanceof SubjectPublicKeyInfo info)) {
                throw new IllegalArgumentException(file + " is not a PEM public key");
            }
            return new JcaPEMKeyConverter().getPublicKey(info);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int usage() {
        System.err.println(
                "usage: ca-ceremony init --out DIR [--org NAME]\n"
                        + "       ca-ceremony enrol-station --factory ID --station ID --public-key FILE.pem [--hours 8]"
                        + " --out FILE.pem\n"
                        + "       ca-ceremony enrol-service --service NAME[,NAME...] --dir DIR [--days 90]"
                        + " [--server-names 127.0.0.1,localhost]   (DIR/NAME/pub.pem in, DIR/NAME/cert.pem out)\n"
                        + "       ca-ceremony enrol-operator --operator NAME --public-key FILE.pem [--days 30]"
                        + " --out FILE.pem\n"
                        + "       ca-ceremony issue-factory-ca --factory ID --out DIR [--path-length 0]"
                        + " [--permitted 'O=Acme,OU=Line 7|dns:acme.example']\n"
                        + "       ca-ceremony request-factory-ca --factory ID --out DIR\n"
                        + "       ca-ceremony certify-factory-ca --factory ID --request FILE.csr --out DIR"
                        + " [--path-length 0] [--permitted ...]\n"
                        + "       ca-ceremony install-factory-ca --factory ID --certificate FILE.pem --root FILE.pem"
                        + " --out DIR\n"
                        + "       ca-ceremony roll-issuing-ca --from ALIAS --to ALIAS --name 'CN text' --out DIR\n"
                        + "       ca-ceremony issue-ocsp-responder --issuer ALIAS --alias ALIAS --out DIR\n"
                        + "       ca-ceremony revoke-ca --ca ALIAS | --certificate FILE.pem --reason keyCompromise"
                        + " --out DIR\n"
                        + "       ca-ceremony sign-root-crl --root root-ca|infrastructure-root-ca --out DIR\n"
                        + "token from IMPRINT_HSM_LIBRARY, IMPRINT_HSM_SLOT_INDEX; PIN from IMPRINT_HSM_PIN or IMPRINT_HSM_PIN_FILE");
        return 64;
    }
}
