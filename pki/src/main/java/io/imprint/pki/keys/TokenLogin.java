package io.imprint.pki.keys;

import java.security.AuthProvider;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.login.LoginException;

/**
 * A backend's login to its token, and the count of logins: after a token error the backend logs out and in
 * again once per failure, however many signing threads saw that failure (see {@link KeyBackend#generation()}).
 */
final class TokenLogin {
    private final AuthProvider provider;
    private final Runnable login;
    private final AtomicLong generation = new AtomicLong();

    /** @param login logs in, reading the PIN afresh each time */
    TokenLogin(AuthProvider provider, Runnable login) {
        this.provider = provider;
        this.login = login;
    }

    long generation() {
        return generation.get();
    }

    /**
     * Logs out and in again, unless another thread already did since {@code failedGeneration}. Session and
     * object handles die with the old login, so every holder of a key re-reads it.
     */
    synchronized void reconnect(long failedGeneration) {
        if (generation.get() != failedGeneration) {
            return;
        }
        try {
            provider.logout();
        } catch (LoginException | RuntimeException e) {
            // The session may already be gone; logging in again is what matters.
        }
        login.run();
        generation.incrementAndGet();
    }
}
