package io.imprint.pki;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Software crypto provider for verification and parsing. BouncyCastle, not SunEC: on JDK 17 SunEC's
 * ECDSA verify is several times slower and would bound intake throughput. It is passed explicitly,
 * never installed globally, so CA signing can only go through the configured key backend.
 */
public final class Providers {
    public static final Provider BC = new BouncyCastleProvider();

    private Providers() {}
}
