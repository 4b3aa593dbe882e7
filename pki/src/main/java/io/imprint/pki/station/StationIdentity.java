package io.imprint.pki.station;

import io.imprint.pki.RequestRejectedException;
import io.imprint.contracts.ReasonCode;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** The factory and station a station certificate is bound to: subject O = factory id, CN = station id. */
public record StationIdentity(String factoryId, String stationId) {
    static final String ORGANIZATIONAL_UNIT = "Imprint factory station";

    public X500Name subject() {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, factoryId)
                .addRDN(BCStyle.OU, ORGANIZATIONAL_UNIT)
                .addRDN(BCStyle.CN, stationId)
                .build();
    }

    static StationIdentity of(X500Name subject) throws RequestRejectedException {
        String factory = single(subject, BCStyle.O);
        String station = single(subject, BCStyle.CN);
        if (factory == null || station == null || !ORGANIZATIONAL_UNIT.equals(single(subject, BCStyle.OU))) {
            throw new RequestRejectedException(ReasonCode.STATION_CERTIFICATE_UNTRUSTED,
                    "station certificate subject is not a station identity (O=factory, OU=" + ORGANIZATIONAL_UNIT
                            + ", CN=station)");
        }
        return new StationIdentity(factory, station);
    }

    private static String single(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return null;
        }
        return rdns[0].getFirst().getValue() instanceof ASN1String text ? text.getString() : null;
    }
}
