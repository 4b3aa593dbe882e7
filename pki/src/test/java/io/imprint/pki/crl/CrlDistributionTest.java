package io.imprint.pki.crl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CrlDistributionTest {
    private static final CrlDistribution SHARDED =
            new CrlDistribution("http://ca.example/crl/k/{shard}", 256, "http://ca.example/crl/k/{shard}/delta");

    @Test
    void okShardIsTheSerialModuloTheCountAndNamedInBothUrls() {
        BigInteger serial = new BigInteger("7f3a9c0011", 16);
        int shard = SHARDED.shardOf(serial);
        assertEquals(serial.mod(BigInteger.valueOf(256)).intValue(), shard);
        assertEquals("http://ca.example/crl/k/" + shard, SHARDED.crlUrl(shard));
        assertEquals("http://ca.example/crl/k/" + shard + "/delta", SHARDED.deltaCrlUrl(shard));
    }

    @Test
    void okDistributionPointIsReadBackToItsShardWhateverTheCountToday() {
        assertEquals(OptionalInt.of(17), SHARDED.shardOf("http://ca.example/crl/k/17"));
        assertEquals(OptionalInt.of(4000), SHARDED.shardOf("http://ca.example/crl/k/4000"));
        assertEquals(OptionalInt.of(0), SHARDED.shardOf("http://ca.example/crl/k/0"));
    }

    @Test
    void failUrlsThatAreNotThisDistributionsPoints() {
        for (String url : new String[] {
            "http://ca.example/crl/k/",
            "http://ca.example/crl/k/017",
            "http://ca.example/crl/k/1/delta",
            "http://ca.example/crl/other/1",
            "http://ca.example/crl/k/-1",
            "http://ca.example/crl/k/99999999",
            null
        }) {
            assertTrue(SHARDED.shardOf(url).isEmpty(), String.valueOf(url));
        }
    }

    @Test
    void okOneUrlWithoutShardIsOneCrlForTheCa() {
        CrlDistribution single = CrlDistribution.of(URI.create("http://ca.example/crl/k"));
        assertEquals(0, single.shardOf(new BigInteger("123456789")));
        assertEquals("http://ca.example/crl/k", single.crlUrl(0));
        assertEquals(OptionalInt.of(0), single.shardOf("http://ca.example/crl/k"));
        assertNull(single.deltaCrlUrl(0));
        assertNull(CrlDistribution.of(null));
    }

    @Test
    void failSettingsThatCannotBeHonoured() {
        assertThrows(IllegalArgumentException.class, () -> new CrlDistribution("http://ca.example/crl/k", 16, null));
        assertThrows(IllegalArgumentException.class, () -> new CrlDistribution("http://x/{shard}/{shard}", 16, null));
        assertThrows(IllegalArgumentException.class, () -> new CrlDistribution("http://x/{shard}", 0, null));
        assertThrows(
                IllegalArgumentException.class, () -> new CrlDistribution("http://x/{shard}", 4, "http://x/delta"));
        assertThrows(IllegalArgumentException.class, () -> new CrlDistribution("http://x y/{shard}", 4, null));
    }
}
