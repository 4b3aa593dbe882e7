package io.imprint.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Our signatures as a third party checks them: with openssl and a root certificate alone. */
public final class TestOpenssl {
    private TestOpenssl() {}

    /**
     * {@code openssl cms -verify} of a detached DER signature over {@code content}, chaining to {@code caFile}; it
     * holds when the exit is 0 and the output says "Verification successful".
     */
    public static Shell.Result cmsVerify(Path dir, Path signature, Path content, Path caFile) {
        return Shell.run(
                dir,
                Map.of(),
                List.of(
                        "openssl",
                        "cms",
                        "-verify",
                        "-binary",
                        "-inform",
                        "DER",
                        "-in",
                        signature.toString(),
                        "-content",
                        content.toString(),
                        "-CAfile",
                        caFile.toString(),
                        "-purpose",
                        "any",
                        "-out",
                        "/dev/null"));
    }
}
