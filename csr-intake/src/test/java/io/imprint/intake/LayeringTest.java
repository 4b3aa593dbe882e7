package io.imprint.intake;

import io.imprint.testing.Layering;
import org.junit.jupiter.api.Test;

class LayeringTest {
    @Test
    void servicesKnowNoKafkaAndResourcesNoPersistence() {
        Layering.checkService("io.imprint.intake");
    }
}
