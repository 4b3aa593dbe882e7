package io.imprint.pki.signing;

import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Keys and certificate chains in PEM files, as the ceremony scripts write them: a service's identity file
 * holds its PKCS#8 private key and its chain (what Kafka's PEM key store reads too); a station keeps key and
 * chain in two files. Errors name the file, never its content.
 */
public final class PemCredentials {
    private PemCredentials() {}

    /** A service identity file: its private key, then its certificate and the service CA's. */
    public static ServiceCredential service(Path identity) {
        String pem = read(identity);
        return new ServiceCredential(privateKey(pem, identity), certificates(pem, identity));
    }

    /** An operator's identity file (operators.sh): their private key, then their certificate. */
    public static OperatorCredential operator(Path identity) {
        String pem = read(identity);
        return new OperatorCredential(privateKey(pem, identity), certificates(pem, identity));
    }

    /** The first private key in a PEM file (PKCS#8, or a traditional EC/RSA key). */
    public static PrivateKey privateKey(Path file) {
        return privateKey(read(file), file);
    }

    /** Every certificate in a PEM file, in order; at least one. */
    public static List<X509Certificate> certificates(Path file) {
        return certificates(read(file), file);
    }

    private static PrivateKey privateKey(String pem, Path file) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Providers.BC);
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " holds no readable PEM private key", e);
        }
        throw new IllegalArgumentException(file + " holds no PEM private key");
    }

    private static List<X509Certificate> certificates(String pem, Path file) {
        List<X509Certificate> certificates = Pem.certificates(pem);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no PEM certificate");
        }
        return certificates;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
