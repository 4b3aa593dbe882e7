package io.imprint.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * A CA ceremony's sealed transcript (hierarchy created, a station or service enrolled, a CA rolled), uploaded
 * to audit by an operator and logged once audit checked its seal: one CMS signature over the transcript, by the
 * CA key that performed the ceremony, chaining to a trusted root. Audit then publishes it, for whoever watches
 * the CAs. The transcript and signature are carried whole: a reader re-checks the seal with openssl alone.
 *
 * @param requestId {@code ceremony-<SHA-256 of the transcript, hex>}: the same transcript uploaded twice is one
 * @param command the ceremony command the transcript's first line names, e.g. {@code enrol-station}
 * @param sealedBy the subject of the certificate of the CA key that sealed it
 * @param sealerSerial that certificate's serial, lower-case hex
 * @param sealedAt the signing time the signature carries; null when it carries none
 * @param stations each station the ceremony enrolled, as {@code factory/station}
 * @param transcript the transcript, exactly as sealed (UTF-8 text)
 * @param signature the detached CMS signature, base64 of its DER
 * @param recordedBy the operator who uploaded it, as audit authenticated them
 */
public record CeremonySealedV1(
        String requestId,
        String command,
        String sealedBy,
        String sealerSerial,
        Instant sealedAt,
        List<String> stations,
        String transcript,
        String signature,
        String recordedBy,
        Instant recordedAt)
        implements ImprintEvent {
    public CeremonySealedV1 {
        Require.text(requestId, "requestId");
        Require.text(command, "command");
        Require.text(sealedBy, "sealedBy");
        Require.text(sealerSerial, "sealerSerial");
        Require.text(transcript, "transcript");
        Require.text(signature, "signature");
        Require.text(recordedBy, "recordedBy");
        Require.present(recordedAt, "recordedAt");
        stations = stations == null ? List.of() : List.copyOf(stations);
    }
}
