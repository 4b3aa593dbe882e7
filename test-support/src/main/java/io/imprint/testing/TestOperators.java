package io.imprint.testing;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.pki.signing.PemCredentials;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.HttpServer;
import io.restassured.RestAssured;
import io.restassured.config.SSLConfig;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Operators from the test token's operator CA, enrolled by our own script ({@code deploy/local/operators.sh}),
 * each named after the one role it holds; {@link #as} sends a request as one of them over the service's HTTPS
 * port, trusting the service only under the infrastructure root, as an operator's client would.
 */
public final class TestOperators {
    public static final String ORDER_ADMIN = "order-admin";
    public static final String REVOKER = "revoker";
    /** A second revoker, for dual control. */
    public static final String SECOND_REVOKER = "revoker-2";

    public static final String AUDITOR = "auditor";
    /** Certified by the operator CA but granted no role. */
    public static final String NO_ROLE = "no-role";

    private static Path folder;

    private TestOperators() {}

    /** The operators' folder (one sub-folder each, and roles.properties), enrolled once per build. */
    public static synchronized Path folder() {
        if (folder == null) {
            TestToken.certificates();
            TestScripts.run(
                    Map.of(),
                    "operators.sh",
                    ORDER_ADMIN,
                    "order-admin",
                    REVOKER,
                    "revoker",
                    SECOND_REVOKER,
                    "revoker",
                    AUDITOR,
                    "auditor",
                    NO_ROLE,
                    "");
            folder = ProjectPaths.testWork().resolve("operators");
        }
        return folder;
    }

    /** What a service needs to authenticate operators: the operator CA and the roles file. */
    public static Map<String, String> quarkusConfig() {
        return Map.of(
                "imprint.operators.ca",
                        TestToken.certificates().resolve("operator-ca.pem").toString(),
                "imprint.operators.roles-file",
                        folder().resolve("roles.properties").toString());
    }

    /** The identity file (private key and chain) of {@code operator}. */
    public static Path identity(String operator) {
        return folder().resolve(operator).resolve("identity.pem");
    }

    /**
     * Publishes {@code event} signed with {@code signer}'s operator key, as the operators' desk sends a request
     * ({@code revocation.requested}, {@code order.requested}); the signer need not be the operator the event names.
     */
    public static void publishSigned(ImprintEvent event, String key, String signer) {
        EventType type = EventType.of(event);
        byte[] value = EventCodec.encode(event);
        Map<String, String> headers =
                new LinkedHashMap<>(CloudEvent.headers(type, "/imprint/operator-desk", Instant.now()));
        headers.putAll(PemCredentials.operator(identity(signer)).sign(value));
        TestTopics.produce(type.topic(), key, value, headers);
    }

    /** A request as {@code operator} to the service under test's HTTPS port. */
    public static RequestSpecification as(String operator) {
        return presenting(identity(operator));
    }

    /** A request to the service under test's HTTPS port presenting {@code identity}'s certificate. */
    public static RequestSpecification presenting(Path identity) {
        int port = Arc.container().instance(HttpServer.class).get().getSecurePort();
        return RestAssured.given()
                .baseUri("https://127.0.0.1")
                .port(port)
                .config(RestAssured.config()
                        .sslConfig(SSLConfig.sslConfig()
                                .sslSocketFactory(new org.apache.http.conn.ssl.SSLSocketFactory(
                                        context(
                                                identity,
                                                TestToken.certificates().resolve("infrastructure-root-ca.pem")),
                                        org.apache.http.conn.ssl.SSLSocketFactory.STRICT_HOSTNAME_VERIFIER))));
    }

    /** A TLS context presenting {@code identity} and trusting servers under {@code root} alone. */
    public static SSLContext context(Path identity, Path root) {
        try {
            List<X509Certificate> chain = PemCredentials.certificates(identity);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] none = new char[0];
            keys.setKeyEntry(
                    "operator", PemCredentials.privateKey(identity), none, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, none);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(
                    "infrastructure-root", PemCredentials.certificates(root).get(0));
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context for " + identity, e);
        }
    }
}
