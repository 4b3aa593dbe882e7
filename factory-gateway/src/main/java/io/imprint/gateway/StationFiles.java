package io.imprint.gateway;

import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.keys.EcKeys;
import io.imprint.pki.station.StationCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** The station's key and certificate on disk: the key file is created readable by its owner only. */
public final class StationFiles {
    private StationFiles() {}

    /** Generates the station key; the public key goes to the operator for enrolment with the station CA. */
    public static void generateKey(Path keyFile, Path publicKeyFile) {
        try {
            KeyPair pair = EcKeys.p256();
            Files.deleteIfExists(keyFile);
            Files.createFile(
                    keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, Pem.encode(pair.getPrivate()));
            Files.writeString(publicKeyFile, Pem.encode(pair.getPublic()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the station key", e);
        }
    }

    /** The station's key and its certificate chain (its certificate, then the station CA's, as enrolment writes). */
    public static StationCredential load(Path keyFile, Path certificateFile) {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(keyFile))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Providers.BC);
            PrivateKey key = object instanceof PEMKeyPair pair
                    ? converter.getKeyPair(pair).getPrivate()
                    : object instanceof PrivateKeyInfo info ? converter.getPrivateKey(info) : null;
            if (key == null) {
                throw new IllegalArgumentException(keyFile + " holds no PEM private key");
            }
            List<X509Certificate> certificates = Pem.certificates(Files.readString(certificateFile));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(certificateFile + " holds no PEM certificate");
            }
            return new StationCredential(key, certificates);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the station credential", e);
        }
    }
}
