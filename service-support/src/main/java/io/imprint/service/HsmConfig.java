package io.imprint.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The key backend a service signs with (signer: issuing CAs; revocation: OCSP responder).
 * Set the PIN through the environment ({@code IMPRINT_HSM_PIN}) or a mounted file
 * ({@code IMPRINT_HSM_PIN_FILE}), never in a committed file.
 */
@ConfigMapping(prefix = "imprint.hsm")
public interface HsmConfig {
    /**
     * {@code pkcs11} (any vendor's PKCS#11 library), {@code cloudhsm-jce} (AWS CloudHSM's JCE provider,
     * untested here) or {@code pkcs12} (a software key file, refused outside the test and dev profiles).
     */
    @WithDefault("pkcs11")
    String backend();

    /** The vendor's PKCS#11 library; default SoftHSM2 from Debian's package. */
    @WithDefault("/usr/lib/softhsm/libsofthsm2.so")
    Path library();

    /** Index of the token's slot in the library's slot list. */
    @WithDefault("0")
    int slotListIndex();

    /** The token user PIN, CloudHSM crypto-user password, or PKCS#12 file password. */
    Optional<String> pin();

    /** A file holding the PIN, used when {@link #pin()} is not set; read again at each login. */
    Optional<Path> pinFile();

    /** The software key file for backend {@code pkcs12}. */
    Optional<Path> pkcs12File();

    /** AWS CloudHSM's JCE provider, for backend {@code cloudhsm-jce}. */
    CloudHsm cloudhsm();

    interface CloudHsm {
        /** The provider jar(s) from the CloudHSM client package, e.g. /opt/cloudhsm/java/cloudhsm-5.16.0.jar. */
        Optional<List<Path>> jars();

        /** Folder of {@code <alias>.pem} certificate chains (leaf first) for the keys in the cluster. */
        @WithDefault("/etc/imprint/cloudhsm-certificates")
        Path certificates();

        /** The crypto user the service logs in as. */
        @WithDefault("imprint")
        String user();
    }
}
