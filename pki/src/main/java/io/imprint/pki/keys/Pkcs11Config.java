package io.imprint.pki.keys;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to reach a PKCS#11 token through the JDK's SunPKCS11 provider: any vendor library (SoftHSM2,
 * Thales Luna, Utimaco, AWS CloudHSM's PKCS#11 library, YubiHSM 2).
 *
 * @param library        path of the vendor's PKCS#11 shared library
 * @param slotListIndex  index of the token's slot in the library's slot list
 */
public record Pkcs11Config(Path library, int slotListIndex) {
    public static final Path SOFTHSM2 = Path.of("/usr/lib/softhsm/libsofthsm2.so");

    public Pkcs11Config {
        if (!Files.isReadable(library)) {
            throw new KeyBackendException(
                    "PKCS#11 library " + library
                            + " does not exist or is not readable; install it (SoftHSM2: apt-get install softhsm2)"
                            + " or set the library path",
                    null);
        }
        if (slotListIndex < 0) {
            throw new KeyBackendException("PKCS#11 slot list index must not be negative", null);
        }
    }

    /**
     * SunPKCS11 configuration text. Keys generated through it (private and secret) are token objects, sensitive
     * and not extractable: they can sign but can never be read out of the token.
     */
    String providerConfig() {
        return String.join(
                "\n",
                "name = imprint",
                "library = " + library,
                "slotListIndex = " + slotListIndex,
                "attributes(generate, CKO_PRIVATE_KEY, *) = {",
                "  CKA_TOKEN = true",
                "  CKA_PRIVATE = true",
                "  CKA_SENSITIVE = true",
                "  CKA_EXTRACTABLE = false",
                "}",
                "attributes(generate, CKO_SECRET_KEY, *) = {",
                "  CKA_TOKEN = true",
                "  CKA_SENSITIVE = true",
                "  CKA_EXTRACTABLE = false",
                "}",
                "attributes(generate, CKO_PUBLIC_KEY, *) = {",
                "  CKA_TOKEN = true",
                "}",
                "");
    }
}
