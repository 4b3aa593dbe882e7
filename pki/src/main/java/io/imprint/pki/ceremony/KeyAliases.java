package io.imprint.pki.ceremony;

/** Labels of Imprint's keys in the token. Services name these in configuration. */
public final class KeyAliases {
    public static final String ROOT_CA = "root-ca";
    public static final String ISSUING_CA = "issuing-ca";
    public static final String STATION_CA = "station-ca";
    public static final String OCSP_RESPONDER = "ocsp-responder";

    private KeyAliases() {
    }
}
