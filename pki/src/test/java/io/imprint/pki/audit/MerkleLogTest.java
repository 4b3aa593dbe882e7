package io.imprint.pki.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The incremental tree gives, for every size it has grown through, exactly the tree heads and proofs that
 * {@link MerkleTree} (held to the RFC's reference tree) computes from all the leaves; past one chunk of stored
 * hashes too.
 */
class MerkleLogTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyHeadAndProofIsTheOneTheWholeTreeGives() {
        List<byte[]> leaves = leaves(70);
        MerkleLog log = new MerkleLog();
        assertArrayEquals(MerkleTree.root(leaves, 0), log.root(0));
        for (int size = 1; size <= leaves.size(); size++) {
            log.append(leaves.get(size - 1));
            assertEquals(size, log.size());
            // Every tree up to the current size, not only the newest: the stored hashes answer for all of them.
            for (int n = 1; n <= size; n++) {
                assertArrayEquals(MerkleTree.root(leaves, n), log.root(n), "root of " + n);
            }
            for (int index = 0; index < size; index++) {
                assertHashes(
                        MerkleTree.inclusionProof(leaves, index, size),
                        log.inclusionProof(index, size),
                        "inclusion " + index + " in " + size);
            }
            for (int first = 0; first <= size; first++) {
                assertHashes(
                        MerkleTree.consistencyProof(leaves, first, size),
                        log.consistencyProof(first, size),
                        "consistency " + first + " to " + size);
            }
        }
    }

    @Test
    void holdsBeyondOneChunkOfHashes() {
        int size = (1 << 14) * 2 + 3;
        List<byte[]> leaves = leaves(size);
        MerkleLog log = new MerkleLog();
        leaves.forEach(log::append);
        byte[] root = log.root(size);
        assertArrayEquals(MerkleTree.root(leaves, size), root);
        for (long index : new long[] {0, 1, 16383, 16384, 32767, 32768, size - 1}) {
            List<byte[]> proof = log.inclusionProof(index, size);
            assertTrue(MerkleTree.verifyInclusion(leaves.get((int) index), index, size, proof, root), "leaf " + index);
        }
        List<byte[]> consistency = log.consistencyProof(20000, size);
        assertTrue(MerkleTree.verifyConsistency(20000, size, MerkleTree.root(leaves, 20000), root, consistency));
    }

    @Test
    void refusesTreesItHasNotGrownTo() {
        MerkleLog log = new MerkleLog();
        leaves(5).forEach(log::append);
        assertThrows(IllegalArgumentException.class, () -> log.root(6));
        assertThrows(IllegalArgumentException.class, () -> log.inclusionProof(5, 5));
        assertThrows(IllegalArgumentException.class, () -> log.consistencyProof(4, 6));
        assertThrows(IllegalArgumentException.class, () -> log.append(new byte[31]));
    }

    private static List<byte[]> leaves(int count) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(MerkleTree.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return leaves;
    }

    private static void assertHashes(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(
                expected.stream().map(HEX::formatHex).toList(),
                actual.stream().map(HEX::formatHex).toList(),
                what);
    }
}
