package io.imprint.pki.keys;

import java.security.Provider;
import javax.crypto.SecretKey;

/** A secret key held by a backend, usable for HMAC inside the provider that owns it. */
public record MacKey(String alias, SecretKey key, Provider provider) {
    @Override
    public String toString() {
        return "MacKey[" + alias + "]";
    }
}
