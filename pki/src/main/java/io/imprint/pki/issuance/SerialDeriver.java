package io.imprint.pki.issuance;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.imprint.pki.keys.KeyBackend;
import io.imprint.pki.keys.KeyBackendException;
import io.imprint.pki.keys.MacKey;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.security.auth.x500.X500Principal;

/**
 * Certificate serial numbers derived from the request: HMAC-SHA256, under a 256-bit key generated inside
 * the HSM by the ceremony, over the issuer's name and the request id. A retried request therefore gets the
 * same serial (and, with validity also taken from the request, the same TBS certificate), so a crash
 * between signing and publishing can never put two different certificates into the world for one
 * request. Without the key nobody can predict a serial: it is as good as 126 random bits (CA/Browser
 * Forum asks for 64), positive, and 16 DER octets (RFC 5280 allows 20).
 */
public final class SerialDeriver {
    private static final byte[] LABEL = "imprint-serial-v1".getBytes(UTF_8);

    private final KeyBackend backend;
    private final String alias;
    private volatile Bound bound;

    public SerialDeriver(KeyBackend backend, String alias) {
        this.backend = backend;
        this.alias = alias;
        this.bound = new Bound(backend.macKey(alias), backend.generation());
    }

    public BigInteger serial(X500Principal issuer, String requestId) {
        Bound used = bound;
        byte[] mac;
        try {
            mac = mac(used.key(), issuer, requestId);
        } catch (GeneralSecurityException | ProviderException first) {
            backend.reconnect(used.generation());
            bound = new Bound(backend.macKey(alias), backend.generation());
            try {
                mac = mac(bound.key(), issuer, requestId);
            } catch (GeneralSecurityException | ProviderException second) {
                throw new KeyBackendException("serial key '" + alias + "' in " + backend.description()
                        + " failed after reconnecting: " + second.getMessage(), second);
            }
        }
        byte[] serial = Arrays.copyOf(mac, 16);
        serial[0] = (byte) ((serial[0] & 0x3f) | 0x40); // positive, and always 16 octets
        return new BigInteger(1, serial);
    }

    private static byte[] mac(MacKey key, X500Principal issuer, String requestId) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256", key.provider());
        mac.init(key.key());
        mac.update(LABEL);
        mac.update((byte) 0);
        mac.update(issuer.getEncoded());
        mac.update((byte) 0);
        return mac.doFinal(requestId.getBytes(UTF_8));
    }

    private record Bound(MacKey key, long generation) {
    }
}
