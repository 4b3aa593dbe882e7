package io.imprint.revocation;

import io.imprint.testing.Layering;
import org.junit.jupiter.api.Test;

class LayeringTest {
    @Test
    void servicesKnowNoKafkaAndResourcesNoPersistence() {
        Layering.checkService("io.imprint.revocation");
    }
}
