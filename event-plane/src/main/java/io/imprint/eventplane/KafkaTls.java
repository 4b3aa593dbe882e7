package io.imprint.eventplane;

import io.imprint.pki.Pem;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;

/**
 * Kafka client settings for mutual TLS with the broker, the only way in: the client presents its key and
 * certificate chain (a service identity from the service CA, or a station's credential from the station
 * CA), and trusts the broker's certificate because the service CA issued it. The broker's host name is
 * checked against its certificate (Kafka's default, https endpoint identification).
 */
public final class KafkaTls {
    private KafkaTls() {}

    /**
     * Client settings for mutual TLS with the broker, from PEM files.
     *
     * @param identity a PEM file with the client's PKCS#8 private key and certificate chain
     * @param brokerCa the PEM certificate of the CA that issued the broker's certificate (the service CA)
     */
    public static Properties client(String bootstrapServers, Path identity, Path brokerCa) {
        Properties props = base(bootstrapServers);
        props.put("ssl.keystore.location", identity.toString());
        props.put("ssl.truststore.location", brokerCa.toString());
        return props;
    }

    /** The same with the key and certificates in memory (a station's credential loaded by the gateway). */
    public static Properties client(
            String bootstrapServers, PrivateKey key, List<X509Certificate> chain, X509Certificate brokerCa) {
        Properties props = base(bootstrapServers);
        props.put("ssl.keystore.key", Pem.encode("PRIVATE KEY", key.getEncoded()));
        StringBuilder certificates = new StringBuilder();
        chain.forEach(c -> certificates.append(Pem.encode(c)));
        props.put("ssl.keystore.certificate.chain", certificates.toString());
        props.put("ssl.truststore.certificates", Pem.encode(brokerCa));
        return props;
    }

    private static Properties base(String bootstrapServers) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("security.protocol", "SSL");
        props.put("ssl.keystore.type", "PEM");
        props.put("ssl.truststore.type", "PEM");
        return props;
    }
}
