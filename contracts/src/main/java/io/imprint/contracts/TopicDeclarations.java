package io.imprint.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The declared topic list, {@code deploy/local/topics.conf}: {@code name partitions retention.ms
 * cleanup.policy} a line. A name with {@code {factory}} is a template, created for each factory when its
 * first station is granted access.
 */
public record TopicDeclarations(List<Topic> topics) {
    public record Topic(String name, int partitions, long retentionMs, String cleanupPolicy) {
        public boolean isTemplate() {
            return name.contains("{factory}");
        }

        public Topic forFactory(String factoryId) {
            return new Topic(name.replace("{factory}", factoryId), partitions, retentionMs, cleanupPolicy);
        }
    }

    public TopicDeclarations {
        topics = List.copyOf(topics);
    }

    public static TopicDeclarations load(Path file) {
        try {
            List<Topic> topics = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\\s+", -1);
                if (f.length != 4) {
                    throw new IllegalArgumentException(
                            file + ": '" + l + "' needs name, partitions, retention.ms" + " and cleanup.policy");
                }
                topics.add(new Topic(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3]));
            }
            return new TopicDeclarations(topics);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public List<Topic> fixed() {
        return topics.stream().filter(t -> !t.isTemplate()).toList();
    }

    /** The topic every factory gets from a template, or empty when none matches. */
    public List<Topic> forFactory(String factoryId) {
        return topics.stream()
                .filter(Topic::isTemplate)
                .map(t -> t.forFactory(factoryId))
                .toList();
    }
}
