package io.imprint.contracts.events;

/**
 * Every event Imprint publishes or consumes. Each carries the {@code requestId} it descends from, so one
 * device's journey can be followed across topics with kcat alone. Readers are tolerant: unknown fields
 * are ignored, so additive changes stay in v1.
 */
public sealed interface ImprintEvent
        permits CsrSubmittedV1,
                CsrAcceptedV1,
                CsrRejectedV1,
                CsrChallengedV1,
                CertIssuedV1,
                CertRevokedV1,
                DeviceAddedV1,
                DeviceStateV1,
                CrlSignRequestedV1,
                CrlPublishedV1,
                ShipmentRecordedV1,
                OrderChangedV1,
                StationRevokedV1,
                CeremonySealedV1,
                AuditCheckpointV1,
                RevocationRequestedV1,
                OrderRequestedV1 {
    String requestId();
}
