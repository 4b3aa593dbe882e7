package io.imprint.pki.station;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Names;
import io.imprint.pki.RequestRejectedException;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The factory and station a station certificate is bound to: subject {@code OU=Imprint factory station,
 * O=<factory id>, CN=<station id>}, in that order, so the station CA's name constraint (permitted subtree
 * {@code OU=Imprint factory station}) keeps it from certifying anything else, and the broker maps the
 * certificate to the principal {@code station:<factory>/<station>}.
 *
 * <p>Factory ids become topic names ({@code imprint.station-results.<factory>.v1}) and both ids become
 * parts of a Kafka principal, so they are restricted to letters, digits and dashes (stations also dots
 * and underscores), starting with a letter or digit, at most 64 characters.
 */
public record StationIdentity(String factoryId, String stationId) {
    public static final String ORGANIZATIONAL_UNIT = "Imprint factory station";
    public static final Pattern FACTORY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    public static final Pattern STATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public StationIdentity {
        if (factoryId == null || !FACTORY_ID.matcher(factoryId).matches()) {
            throw new IllegalArgumentException(
                    "factory id must be 1-64 letters, digits or '-', starting with a" + " letter or digit");
        }
        if (stationId == null || !STATION_ID.matcher(stationId).matches()) {
            throw new IllegalArgumentException(
                    "station id must be 1-64 letters, digits, '.', '_' or '-', starting" + " with a letter or digit");
        }
    }

    public X500Name subject() {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.OU, ORGANIZATIONAL_UNIT)
                .addRDN(BCStyle.O, factoryId)
                .addRDN(BCStyle.CN, stationId)
                .build();
    }

    /** The Kafka principal the broker maps this station's certificate to. */
    public String principal() {
        return "station:" + factoryId + "/" + stationId;
    }

    /** The station a certificate names, or a rejection when its subject is not a station identity. */
    public static StationIdentity of(X509Certificate certificate) throws RequestRejectedException {
        return of(Names.of(certificate));
    }

    static StationIdentity of(X500Name subject) throws RequestRejectedException {
        String factory = Names.single(subject, BCStyle.O);
        String station = Names.single(subject, BCStyle.CN);
        try {
            if (factory != null && station != null && ORGANIZATIONAL_UNIT.equals(Names.single(subject, BCStyle.OU))) {
                return new StationIdentity(factory, station);
            }
        } catch (IllegalArgumentException e) {
            // falls through: not a well-formed station identity
        }
        throw new RequestRejectedException(
                ReasonCode.STATION_CERTIFICATE_UNTRUSTED,
                "station certificate subject is not a station identity (OU=" + ORGANIZATIONAL_UNIT
                        + ", O=factory, CN=station)");
    }
}
