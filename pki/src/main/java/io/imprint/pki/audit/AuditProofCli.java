package io.imprint.pki.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.pki.Pem;
import io.imprint.pki.cli.CliOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks audit proofs offline, with the audit certificate alone (as audit serves them: {@code GET
 * /audit/proofs/inclusion?serial=...} and {@code GET /audit/proofs/consistency?first=..&second=..}).
 *
 * <pre>
 * verify-inclusion   --certificate audit-log.pem --proof inclusion.json
 * verify-consistency --certificate audit-log.pem --proof consistency.json
 * verify-log         --certificate audit-log.pem --log export.jsonl --checkpoint checkpoint.json
 * </pre>
 *
 * {@code verify-log} walks a whole, unfiltered export ({@code GET /audit/export.jsonl}) from the genesis value
 * and holds it to a checkpoint ({@code GET /audit/checkpoints/latest}): every record chained, none missing.
 *
 * Exits 0 when the proof holds, 1 with the reason when it does not, 64 on a usage error.
 */
public final class AuditProofCli {
    private AuditProofCli() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            return usage();
        }
        try {
            CliOptions options = new CliOptions(args);
            X509Certificate certificate = Pem.certificates(Files.readString(Path.of(options.required("certificate"))))
                    .get(0);
            if (args[0].equals("verify-log")) {
                return verifyLog(
                        certificate, Path.of(options.required("log")), Path.of(options.required("checkpoint")));
            }
            JsonNode proof = new ObjectMapper().readTree(Files.readString(Path.of(options.required("proof"))));
            String problem;
            String holds;
            switch (args[0]) {
                case "verify-inclusion" -> {
                    byte[] entry = Base64.getDecoder().decode(text(proof, "entry"));
                    problem = AuditProofs.inclusionProblem(
                            certificate,
                            text(proof, "checkpoint"),
                            Base64.getDecoder().decode(text(proof, "signature")),
                            entry,
                            proof.path("leafIndex").asLong(-1),
                            hashes(proof));
                    String event = new String(entry, StandardCharsets.UTF_8);
                    holds = "record " + proof.path("leafIndex").asLong() + " ("
                            + event.substring(0, event.indexOf('\n'))
                            + ") is in the log of " + proof.path("treeSize").asLong()
                            + " records whose head the audit key signed";
                }
                case "verify-consistency" -> {
                    problem = AuditProofs.consistencyProblem(
                            certificate,
                            text(proof, "firstCheckpoint"),
                            Base64.getDecoder().decode(text(proof, "firstSignature")),
                            text(proof, "secondCheckpoint"),
                            Base64.getDecoder().decode(text(proof, "secondSignature")),
                            hashes(proof));
                    holds = "the log of " + proof.path("second").asLong() + " records extends the log of "
                            + proof.path("first").asLong() + ", both heads signed by the audit key";
                }
                default -> {
                    return usage();
                }
            }
            System.out.println(problem == null ? "OK: " + holds : "FAILED: " + problem);
            return problem == null ? 0 : 1;
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            System.err.println("audit-proof: " + e.getMessage());
            return 64;
        }
    }

    private static int verifyLog(X509Certificate certificate, Path log, Path checkpointFile) throws IOException {
        ObjectMapper json = new ObjectMapper();
        AuditLogWalk walk = new AuditLogWalk();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode record = json.readTree(line);
            long leafIndex = record.path("leafIndex").asLong(-1);
            AuditLogWalk.Break broken = walk.next(
                    leafIndex,
                    text(record, "eventType"),
                    text(record, "payload"),
                    text(record, "previousHash"),
                    text(record, "hash"));
            if (broken != null) {
                System.out.println("FAILED: record " + leafIndex + " breaks the log (" + broken + ") after "
                        + walk.records() + " good records");
                return 1;
            }
        }
        JsonNode checkpoint = json.readTree(Files.readString(checkpointFile));
        SignedCheckpoint signed = new SignedCheckpoint(
                Checkpoint.parse(text(checkpoint, "body")), Base64.getDecoder().decode(text(checkpoint, "signature")));
        String problem = walk.checkpointProblem(signed, certificate);
        if (problem != null) {
            System.out.println("FAILED: checkpoint " + signed.checkpoint().size() + ": " + problem);
            return 1;
        }
        System.out.println("OK: " + walk.records() + " records chained from the genesis value; the first "
                + signed.checkpoint().size() + " hash to the root the audit key signed at "
                + signed.checkpoint().time());
        return 0;
    }

    private static String text(JsonNode proof, String field) {
        JsonNode value = proof.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("the proof has no " + field);
        }
        return value.asText();
    }

    private static List<byte[]> hashes(JsonNode proof) {
        List<byte[]> hashes = new ArrayList<>();
        for (JsonNode hash : proof.path("proof")) {
            hashes.add(HexFormat.of().parseHex(hash.asText()));
        }
        return hashes;
    }

    private static int usage() {
        System.err.println(
                "usage: audit-proof verify-inclusion|verify-consistency --certificate audit-log.pem --proof FILE\n"
                        + "       audit-proof verify-log --certificate audit-log.pem --log export.jsonl"
                        + " --checkpoint checkpoint.json");
        return 64;
    }
}
