package io.imprint.pki.signing;

import io.imprint.contracts.Headers;
import io.imprint.contracts.QuarantineReason;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.operator.OperatorIdentity;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Authenticates a request a person signed with their own operator key ({@code imprint.revocation.requested}): a valid
 * certificate of the operator CA with an operator subject, a signature over the exact value bytes, the operator the
 * request names being the one who signed it, and that operator allowed to ask. The broker principal that carried the
 * record (a desk tool, a mirror) counts for nothing here.
 */
public final class OperatorRequestVerifier {
    private final SignedRecordVerifier records;

    public OperatorRequestVerifier(X509Certificate operatorCa) {
        this.records = new SignedRecordVerifier(operatorCa, "operator");
    }

    /**
     * Authenticates an operator's signed request from its headers.
     *
     * @param certificateBase64 the {@code imprint-operator-cert} header, or null
     * @param signatureBase64   the {@code imprint-operator-signature} header, or null
     * @param claimedOperator   the operator the request's value names
     * @param mayAsk            whether that operator may make this request (their roles)
     * @return the operator who signed it
     */
    public OperatorIdentity verify(
            String certificateBase64,
            String signatureBase64,
            byte[] value,
            Instant now,
            String claimedOperator,
            Predicate<OperatorIdentity> mayAsk) {
        X509Certificate signer;
        try {
            signer = records.verify(
                    certificateBase64, signatureBase64, value, now, Headers.OPERATOR_CERT, Headers.OPERATOR_SIGNATURE);
        } catch (SignedRecordVerifier.Refusal e) {
            throw new UntrustedEventException(
                    e.failure() == SignedRecordVerifier.Failure.MISSING
                            ? QuarantineReason.REQUEST_UNSIGNED
                            : QuarantineReason.REQUEST_SIGNER_UNTRUSTED,
                    e.getMessage());
        }
        Optional<OperatorIdentity> operator = OperatorIdentity.of(signer);
        if (operator.isEmpty()) {
            throw new UntrustedEventException(
                    QuarantineReason.REQUEST_SIGNER_UNTRUSTED,
                    "signed by " + signer.getSubjectX500Principal().getName() + ", which is no operator identity");
        }
        if (!operator.get().name().equals(claimedOperator)) {
            throw new UntrustedEventException(
                    QuarantineReason.REQUEST_SIGNER_NOT_AUTHORIZED,
                    "signed by operator " + operator.get().name() + " but made in the name of " + claimedOperator);
        }
        if (!mayAsk.test(operator.get())) {
            throw new UntrustedEventException(
                    QuarantineReason.REQUEST_SIGNER_NOT_AUTHORIZED,
                    "operator " + operator.get().name() + " does not hold the role this request needs");
        }
        return operator.get();
    }
}
