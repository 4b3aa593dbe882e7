package io.imprint.testing;

import io.imprint.pki.ceremony.CaCeremony;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.crl.RootCrls;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The tests' real SoftHSM2 token, initialised and put through the CA ceremony by our own script
 * ({@code deploy/local/ca-ceremony.sh}, with a random PIN in the work folder's secrets), in the tests' work
 * folder, so test runs never share a token with the demo. {@code SOFTHSM2_CONF} (set by Surefire) points at
 * it. The tests add a second issuing CA, rolled over from the first, with its own OCSP responder.
 */
public final class TestToken {
    /** A second issuing CA, rolled over from the first, with its own OCSP responder: tests of several CAs. */
    public static final String ISSUING_CA_2 = "issuing-ca-2";

    public static final String OCSP_RESPONDER_2 = "ocsp-responder-2";
    /**
     * An issuing CA only the signer's CRL tests ask CRLs of: revocation does not serve it, so those tests'
     * CRLs never stand in the way of the CRLs revocation asks for the CAs it serves (a CRL never drops a serial).
     */
    public static final String ISSUING_CA_FOR_CRL_TESTS = "issuing-ca-crl-tests";

    private static Path certificates;

    private TestToken() {}

    /** Makes sure the token and its CAs exist; returns the folder of exported certificates. */
    public static synchronized Path certificates() {
        if (certificates != null) {
            return certificates;
        }
        if (System.getenv("SOFTHSM2_CONF") == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set; run tests through Maven (Surefire sets it)");
        }
        Path certs = ProjectPaths.testWork().resolve("certs");
        if (!Files.exists(certs.resolve("operator-ca.pem"))) { // the newest key: a token made before lacks it
            TestScripts.run(Map.of(), "ca-ceremony.sh");
        }
        CaCeremony ceremony = new CaCeremony(token(), "Imprint Test", line -> {});
        Instant now = Instant.now();
        ceremony.rollIssuingCa(KeyAliases.ISSUING_CA, ISSUING_CA_2, "Imprint Issuing CA 2", certs, now);
        ceremony.issueOcspResponder(ISSUING_CA_2, OCSP_RESPONDER_2, certs, now);
        ceremony.rollIssuingCa(
                KeyAliases.ISSUING_CA, ISSUING_CA_FOR_CRL_TESTS, "Imprint Issuing CA for CRL tests", certs, now);
        // A token made before the roots had CRLs gets its device root's first one.
        if (new RootCrls(certs.resolve(CaCeremony.ROOT_CRLS))
                .current(token().key(KeyAliases.ROOT_CA).certificate())
                .isEmpty()) {
            ceremony.signRootCrl(KeyAliases.ROOT_CA, certs, now);
        }
        certificates = certs;
        return certificates;
    }

    /** The token's user PIN: random, made by the ceremony script, in an owner-only file of the tests' folder. */
    public static String userPin() {
        try {
            return Files.readString(ProjectPaths.testWork().resolve("secrets/hsm-user-pin"))
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the test token has no PIN file yet; run deploy/local/test.sh", e);
        }
    }

    /** A fresh session with the token, as a service's key backend opens one. */
    public static Pkcs11KeyBackend token() {
        return new Pkcs11KeyBackend(
                new Pkcs11Config(Pkcs11Config.SOFTHSM2, 0), userPin().toCharArray());
    }

    /** Configuration for a service that uses the token. */
    public static Map<String, String> quarkusConfig() {
        Path certs = certificates();
        return Map.of(
                "imprint.hsm.library", Pkcs11Config.SOFTHSM2.toString(),
                "imprint.hsm.slot-list-index", "0",
                "imprint.hsm.pin", userPin(),
                "imprint.intake.station-ca", certs.resolve("station-ca.pem").toString(),
                "imprint.revocation.roots", certs.resolve("root-ca.pem").toString(),
                "imprint.revocation.root-crls",
                        certs.resolve(CaCeremony.ROOT_CRLS).toString());
    }
}
