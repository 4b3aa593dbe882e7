package io.imprint.eventplane;

import io.imprint.contracts.EventType;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.TopicDeclarations;
import io.imprint.contracts.access.AccessDeclarations;
import io.imprint.contracts.events.OrderRequestedV1;
import io.imprint.pki.Serials;
import io.imprint.pki.cli.CliOptions;
import io.imprint.pki.signing.OperatorCredential;
import io.imprint.pki.signing.PemCredentials;
import io.imprint.pki.station.StationIdentity;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The event-plane command run by {@code deploy/local/kafka.sh}, as the administrator principal:
 * <pre>
 * apply          --bootstrap H:P --identity admin.pem --broker-ca service-ca.pem --topics topics.conf --acls acls.conf[,more.conf] [--wait 60]
 * grant-station  (same) --factory ID --station ID
 * revoke-station --bootstrap H:P --identity admin.pem --broker-ca service-ca.pem --factory ID --station ID
 * replay-dlq     --bootstrap H:P --identity admin.pem --broker-ca service-ca.pem --topic DLQ [--idle 5]
 * request-revocation --bootstrap H:P --identity operator-desk.pem --broker-ca service-ca.pem
 *                --operator-identity alice/identity.pem --serial HEX --reason REASON [--comment TEXT]
 * request-order  (same as request-revocation up to --operator-identity) --action open --order ID --factory ID
 *                --model M --quantity N --not-after ISO [--not-before ISO], or --action close --order ID
 * </pre>
 * The two requests run as the operators' desk, not the administrator: each writes one request signed with the
 * operator's key ({@link OperatorRequestSender}).
 */
public final class EventPlaneCli {
    private EventPlaneCli() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            usage();
        }
        try {
            CliOptions o = new CliOptions(args);
            if (args[0].equals("request-revocation") || args[0].equals("request-order")) {
                operatorRequest(args[0], o);
                return;
            }
            try (EventPlaneAdmin admin = new EventPlaneAdmin(KafkaTls.client(
                    o.required("bootstrap"), Path.of(o.required("identity")), Path.of(o.required("broker-ca"))))) {
                admin.awaitBroker(Duration.ofSeconds(Long.parseLong(o.get("wait", "60"))));
                switch (args[0]) {
                    case "apply" -> {
                        int created = admin.createTopics(TopicDeclarations.load(Path.of(o.required("topics")))
                                .fixed());
                        int[] acls = admin.applyServiceAcls(AccessDeclarations.loadAll(o.required("acls")));
                        System.out.println("event plane: " + created + " topics created; ACLs: " + acls[0]
                                + " created, " + acls[1] + " undeclared removed");
                    }
                    case "grant-station" -> {
                        StationIdentity station = station(o);
                        admin.grantStation(
                                station,
                                TopicDeclarations.load(Path.of(o.required("topics"))),
                                AccessDeclarations.loadAll(o.required("acls")));
                        System.out.println("event plane: granted " + station.principal());
                    }
                    case "revoke-station" -> {
                        StationIdentity station = station(o);
                        System.out.println("event plane: removed " + admin.revokeStation(station) + " ACLs of "
                                + station.principal());
                    }
                    case "replay-dlq" -> {
                        String topic = o.required("topic");
                        DeadLetterReplay.Result result = DeadLetterReplay.replay(
                                KafkaTls.client(
                                        o.required("bootstrap"),
                                        Path.of(o.required("identity")),
                                        Path.of(o.required("broker-ca"))),
                                topic,
                                Duration.ofSeconds(Long.parseLong(o.get("idle", "5"))));
                        System.out.println("event plane: replayed " + result.replayed() + " records of " + topic
                                + " to their topics; " + result.quarantinedSkipped()
                                + " quarantined records (forged, untrusted or malformed) left where they are");
                    }
                    default -> usage();
                }
            }
        } catch (IllegalArgumentException | IllegalStateException | DateTimeException e) {
            System.err.println("event-plane: " + e.getMessage());
            System.exit(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(2);
        }
    }

    /** {@code request-revocation} or {@code request-order}: one request signed with the operator's key, then sent. */
    private static void operatorRequest(String command, CliOptions o) throws InterruptedException {
        OperatorCredential operator = PemCredentials.operator(Path.of(o.required("operator-identity")));
        OperatorRequestSender.SignedRequest signed =
                command.equals("request-revocation") ? revocation(operator, o) : order(operator, o);
        OperatorRequestSender.send(
                KafkaTls.client(
                        o.required("bootstrap"), Path.of(o.required("identity")), Path.of(o.required("broker-ca"))),
                signed);
        System.out.println("event plane: request " + signed.request().requestId() + " ("
                + EventType.of(signed.request()).ceType() + " " + signed.key() + ") signed by operator "
                + operator.identity().name() + " sent to "
                + EventType.of(signed.request()).topic());
    }

    private static OperatorRequestSender.SignedRequest revocation(OperatorCredential operator, CliOptions o) {
        RevocationReason reason;
        try {
            reason = RevocationReason.valueOf(o.get("reason", "UNSPECIFIED"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--reason must be one of " + Arrays.toString(RevocationReason.values()), e);
        }
        String serial = Serials.hex(Serials.parse(o.required("serial")));
        return OperatorRequestSender.revocation(operator, serial, reason, o.get("comment", null));
    }

    private static OperatorRequestSender.SignedRequest order(OperatorCredential operator, CliOptions o) {
        String orderId = o.required("order");
        return switch (o.required("action")) {
            case OrderRequestedV1.OPEN ->
                OperatorRequestSender.openOrder(
                        operator,
                        orderId,
                        o.required("factory"),
                        o.required("model"),
                        Long.parseLong(o.required("quantity")),
                        o.has("not-before") ? Instant.parse(o.required("not-before")) : null,
                        Instant.parse(o.required("not-after")));
            case OrderRequestedV1.CLOSE -> OperatorRequestSender.closeOrder(operator, orderId);
            default -> throw new IllegalArgumentException("--action must be open or close");
        };
    }

    private static StationIdentity station(CliOptions o) {
        return new StationIdentity(o.required("factory"), o.required("station"));
    }

    private static void usage() {
        System.err.println(
                "usage: event-plane apply|grant-station|revoke-station|replay-dlq|request-revocation|request-order"
                        + " --bootstrap HOST:PORT"
                        + " --identity ADMIN.pem --broker-ca SERVICE-CA.pem [--topics topics.conf --acls acls.conf]"
                        + " [--factory ID --station ID] [--topic DLQ-TOPIC --idle SECONDS] [--wait SECONDS]"
                        + " [--operator-identity OPERATOR.pem --serial HEX --reason REASON --comment TEXT]"
                        + " [--operator-identity OPERATOR.pem --action open|close --order ID --factory ID --model M"
                        + " --quantity N --not-after ISO --not-before ISO]");
        System.exit(64);
    }
}
