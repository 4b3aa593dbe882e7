package io.imprint.testing;

import io.imprint.pki.signing.PemCredentials;
import io.imprint.pki.signing.ServiceCredential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Service identities from the test token's service CA, enrolled by our own script
 * ({@code deploy/local/identities.sh}): each service under test connects to the broker with its own, and
 * tests sign commands with them as the real services do.
 */
public final class TestIdentities {
    private TestIdentities() {}

    /** The identity file (private key and chain) of {@code service}, enrolled if it is not yet. */
    public static synchronized Path file(String service) {
        TestToken.certificates();
        Path file = ProjectPaths.testWork().resolve("identities/" + service + "/identity.pem");
        if (!Files.exists(file)) {
            TestScripts.run(Map.of(), "identities.sh", service);
        }
        return file;
    }

    public static ServiceCredential credential(String service) {
        return PemCredentials.service(file(service));
    }

    /** The service CA's certificate file: what every client trusts the broker by. */
    public static Path serviceCa() {
        return TestToken.certificates().resolve("service-ca.pem");
    }
}
