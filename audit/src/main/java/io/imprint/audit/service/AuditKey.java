package io.imprint.audit.service;

import io.imprint.pki.audit.Checkpoint;
import io.imprint.pki.audit.SignedCheckpoint;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.keys.KeyBackend;
import io.imprint.pki.keys.SigningPool;
import io.imprint.pki.signing.DetachedCms;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;

/**
 * The audit key in the HSM ({@value KeyAliases#AUDIT_LOG}), proved at start to sign what its certificate
 * verifies. Every signature is checked as a third party would check it before anyone sees it.
 */
@Startup
@ApplicationScoped
public class AuditKey {
    private final SigningPool key;

    public AuditKey(KeyBackend backend) {
        this.key = new SigningPool(backend, KeyAliases.AUDIT_LOG, 1);
        key.proveKeyMatchesCertificate();
    }

    public X509Certificate certificate() {
        return key.key().certificate();
    }

    /** Signs the checkpoint (blocking: call from a worker thread). */
    public SignedCheckpoint sign(Checkpoint checkpoint) {
        SignedCheckpoint signed = new SignedCheckpoint(checkpoint, key.sign(checkpoint.bytes()));
        String problem = signed.problem(certificate());
        if (problem != null) {
            throw new IllegalStateException("the audit key's signature over a checkpoint does not hold: " + problem);
        }
        return signed;
    }

    /** A detached CMS signature over the document, checked before it is returned (blocking). */
    public byte[] signDocument(byte[] document) {
        byte[] signature = DetachedCms.sign(key.key(), document);
        if (!DetachedCms.verifies(signature, document, certificate())) {
            throw new IllegalStateException("the audit key's signature over a document does not verify");
        }
        return signature;
    }
}
