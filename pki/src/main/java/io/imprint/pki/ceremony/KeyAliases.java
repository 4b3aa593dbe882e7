package io.imprint.pki.ceremony;

/** Labels of Imprint's keys in the token. Services name these in configuration. */
public final class KeyAliases {
    public static final String ROOT_CA = "root-ca";
    public static final String ISSUING_CA = "issuing-ca";
    public static final String STATION_CA = "station-ca";
    public static final String OCSP_RESPONDER = "ocsp-responder";
    /** Root of the infrastructure identities (stations, services): a trust domain apart from devices. */
    public static final String INFRASTRUCTURE_ROOT_CA = "infrastructure-root-ca";
    /** Issues the broker's and the services' identities. */
    public static final String SERVICE_CA = "service-ca";
    /** Issues operators' client certificates (people at the operator APIs); certified by the infrastructure root. */
    public static final String OPERATOR_CA = "operator-ca";
    /** Signs the audit log's checkpoints and signed-off reports; certified by the infrastructure root. */
    public static final String AUDIT_LOG = "audit-log";

    private KeyAliases() {}
}
