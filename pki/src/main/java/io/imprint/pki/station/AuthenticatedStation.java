package io.imprint.pki.station;

/** A station whose credential verified: who it is, and its certificate's serial (lower-case hex), for revocation. */
public record AuthenticatedStation(StationIdentity identity, String certificateSerial) {}
