package io.imprint.eventplane.kubernetes;

import io.imprint.contracts.TopicDeclarations;
import io.imprint.contracts.access.AccessDeclarations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes Strimzi's resources from the declared files (run by {@code deploy/k8s/generate.sh}):
 * <pre>
 * write         TOPICS ACLS OUT_DIR     topics.yaml and users.yaml into OUT_DIR
 * station-class TOPICS ACLS FACTORY     one factory's results topic and station user, on standard output
 * </pre>
 */
public final class StrimziResourcesCli {
    public static final String TOPICS_FILE = "topics.yaml";
    public static final String USERS_FILE = "users.yaml";

    private StrimziResourcesCli() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            usage();
        }
        TopicDeclarations topics = TopicDeclarations.load(Path.of(args[1]));
        AccessDeclarations acls = AccessDeclarations.load(Path.of(args[2]));
        try {
            switch (args[0]) {
                case "write" -> {
                    Path out = Path.of(args[3]);
                    Files.writeString(out.resolve(TOPICS_FILE), StrimziResources.topics(topics));
                    Files.writeString(out.resolve(USERS_FILE), StrimziResources.users(acls));
                    System.out.println(
                            "strimzi: wrote " + out.resolve(TOPICS_FILE) + " and " + out.resolve(USERS_FILE));
                }
                case "station-class" -> System.out.print(StrimziResources.stationClass(args[3], topics, acls));
                default -> usage();
            }
        } catch (IllegalArgumentException e) {
            System.err.println("strimzi: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void usage() {
        System.err.println(
                "usage: StrimziResourcesCli write TOPICS ACLS OUT_DIR" + " | station-class TOPICS ACLS FACTORY");
        System.exit(2);
    }
}
