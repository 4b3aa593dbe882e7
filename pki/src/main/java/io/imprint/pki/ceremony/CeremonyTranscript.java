package io.imprint.pki.ceremony;

import io.imprint.pki.Providers;
import io.imprint.pki.keys.CaKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * What a ceremony did, line by line, sealed at the end with a detached CMS signature (DER) made inside the
 * token by the CA key that performed the ceremony, its chain included. Anyone can check it with openssl:
 * {@code openssl cms -verify -binary -inform DER -in T.p7s -content T.txt -CAfile root-ca.pem -purpose any}.
 */
public final class CeremonyTranscript implements Consumer<String> {
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> echo;

    public CeremonyTranscript(Consumer<String> echo) {
        this.echo = echo;
    }

    @Override
    public synchronized void accept(String line) {
        lines.add(Instant.now() + " " + line);
        echo.accept(line);
    }

    /** Writes {@code <time>-<command>.txt} and its signature {@code .p7s} into {@code dir}; returns the text file. */
    public synchronized Path seal(CaKey sealedBy, Path dir, String command, Instant now) {
        accept("sealed by '" + sealedBy.alias() + "' ("
                + sealedBy.certificate().getSubjectX500Principal().getName() + ")");
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        String base = FILE_TIME.format(now) + "-" + command;
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                            .setProvider(Providers.BC)
                            .build())
                    .build(sealedBy.contentSigner(), sealedBy.certificate()));
            generator.addCertificates(new JcaCertStore(sealedBy.chain()));
            byte[] signature =
                    generator.generate(new CMSProcessableByteArray(text), false).getEncoded();
            Files.createDirectories(dir);
            Path transcript = dir.resolve(base + ".txt");
            Files.write(transcript, text);
            Files.write(dir.resolve(base + ".p7s"), signature);
            return transcript;
        } catch (IOException | GeneralSecurityException | CMSException | OperatorCreationException e) {
            throw new IllegalStateException("cannot seal the ceremony transcript: " + e.getMessage(), e);
        }
    }
}
