package io.imprint.testing;

import io.imprint.gateway.SimulatedVendor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulated secure-element vendor of the tests, kept on disk beside the test token so that the service
 * under test (configured with its root) and the test code (which attests device keys) share one vendor.
 */
public final class TestVendors {
    /** The secure-element type the test vendor's root is configured for. */
    public static final String TYPE = "ATECC608A";

    private TestVendors() {}

    public static synchronized SimulatedVendor microchip() {
        Path dir = ProjectPaths.root().resolve("work/test-vendor");
        if (!Files.exists(dir.resolve("name"))) {
            new SimulatedVendor("Test Microchip").save(dir);
        }
        return SimulatedVendor.load(dir);
    }

    /**
     * The intake settings that trust the test vendor for {@link #TYPE} and as a manifest signer, and the Matter
     * test hierarchy for {@link TestMatter#TYPE}.
     */
    public static Map<String, String> quarkusConfig() {
        microchip();
        Map<String, String> config = new HashMap<>(TestMatter.quarkusConfig());
        config.put(
                "imprint.intake.vendor-roots." + TYPE,
                ProjectPaths.root().resolve("work/test-vendor/root.pem").toString());
        config.put(
                "imprint.intake.manifest-signers",
                ProjectPaths.root().resolve("work/test-vendor/signer.pem").toString());
        return config;
    }
}
