package io.imprint.pki.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Held to the reference tree of Certificate Transparency (RFC 6962/9162: eight entries, the tree heads of every
 * size, and published inclusion and consistency proofs), then every proof of every tree up to 40 leaves both
 * ways: each verifies, and each altered one does not.
 */
class MerkleTreeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final List<byte[]> REFERENCE = Stream.of(
                    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")
            .map(entry -> MerkleTree.leafHash(HEX.parseHex(entry)))
            .toList();
    private static final List<String> REFERENCE_ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void treeHeadsAreTheReferenceOnesForEverySize() {
        for (int size = 0; size <= 8; size++) {
            assertEquals(REFERENCE_ROOTS.get(size), HEX.formatHex(MerkleTree.root(REFERENCE, size)), "size " + size);
        }
    }

    @Test
    void proofsAreThePublishedOnes() {
        assertEquals(
                List.of(
                        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
                hex(MerkleTree.inclusionProof(REFERENCE, 0, 8)));
        assertEquals(
                List.of(
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
                hex(MerkleTree.inclusionProof(REFERENCE, 5, 8)));
        assertEquals(
                List.of(
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
                hex(MerkleTree.consistencyProof(REFERENCE, 2, 8)));
        assertEquals(
                List.of(
                        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
                hex(MerkleTree.consistencyProof(REFERENCE, 6, 8)));
    }

    @Test
    void everyInclusionProofVerifiesAndNoAlteredOneDoes() {
        List<byte[]> leaves = leaves(40);
        for (int size = 1; size <= leaves.size(); size++) {
            byte[] root = MerkleTree.root(leaves, size);
            for (int index = 0; index < size; index++) {
                List<byte[]> proof = MerkleTree.inclusionProof(leaves, index, size);
                byte[] leaf = leaves.get(index);
                String at = index + " of " + size;
                assertTrue(MerkleTree.verifyInclusion(leaf, index, size, proof, root), at);
                assertFalse(MerkleTree.verifyInclusion(leaves.get((index + 1) % 40), index, size, proof, root), at);
                if (size > 1) {
                    assertFalse(MerkleTree.verifyInclusion(leaf, (index + 1) % size, size, proof, root), at);
                }
                for (List<byte[]> altered : alterations(proof)) {
                    assertFalse(MerkleTree.verifyInclusion(leaf, index, size, altered, root), at + " altered");
                }
            }
        }
    }

    @Test
    void everyConsistencyProofVerifiesAndNoAlteredOneDoes() {
        List<byte[]> leaves = leaves(40);
        for (int second = 0; second <= leaves.size(); second++) {
            byte[] secondRoot = MerkleTree.root(leaves, second);
            for (int first = 0; first <= second; first++) {
                byte[] firstRoot = MerkleTree.root(leaves, first);
                List<byte[]> proof = MerkleTree.consistencyProof(leaves, first, second);
                String at = first + " -> " + second;
                assertTrue(MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, proof), at);
                if (first > 0 && first < second) {
                    byte[] otherRoot = MerkleTree.root(leaves(40, "other"), first);
                    assertFalse(MerkleTree.verifyConsistency(first, second, otherRoot, secondRoot, proof), at);
                    assertFalse(MerkleTree.verifyConsistency(second, first, secondRoot, firstRoot, proof), at);
                    for (List<byte[]> altered : alterations(proof)) {
                        assertFalse(
                                MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, altered),
                                at + " altered");
                    }
                }
            }
        }
    }

    @Test
    void malformedInputIsFalseOrRefusedNeverACrash() {
        byte[] root = MerkleTree.root(REFERENCE, 8);
        List<byte[]> proof = MerkleTree.inclusionProof(REFERENCE, 5, 8);
        assertFalse(MerkleTree.verifyInclusion(new byte[31], 5, 8, proof, root));
        assertFalse(MerkleTree.verifyInclusion(REFERENCE.get(5), 5, 8, proof, new byte[31]));
        assertFalse(MerkleTree.verifyInclusion(REFERENCE.get(5), 8, 8, proof, root));
        assertFalse(MerkleTree.verifyInclusion(REFERENCE.get(5), -1, 8, proof, root));
        assertFalse(MerkleTree.verifyConsistency(6, 8, MerkleTree.root(REFERENCE, 6), root, List.of()));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProof(REFERENCE, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.consistencyProof(REFERENCE, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.root(REFERENCE, 9));
    }

    /** The proof with one hash flipped, one dropped, one added, and (if it can be) two swapped. */
    private static List<List<byte[]>> alterations(List<byte[]> proof) {
        List<List<byte[]>> altered = new ArrayList<>();
        altered.add(append(proof, new byte[MerkleTree.HASH_LENGTH]));
        for (int i = 0; i < proof.size(); i++) {
            List<byte[]> flipped = new ArrayList<>(proof);
            byte[] hash = proof.get(i).clone();
            hash[i % MerkleTree.HASH_LENGTH] ^= 1;
            flipped.set(i, hash);
            altered.add(flipped);
            List<byte[]> dropped = new ArrayList<>(proof);
            dropped.remove(i);
            altered.add(dropped);
        }
        if (proof.size() > 1) {
            List<byte[]> swapped = new ArrayList<>(proof);
            swapped.set(0, proof.get(1));
            swapped.set(1, proof.get(0));
            altered.add(swapped);
        }
        return altered;
    }

    private static List<byte[]> append(List<byte[]> proof, byte[] hash) {
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(hash);
        return longer;
    }

    private static List<byte[]> leaves(int count) {
        return leaves(count, "entry");
    }

    private static List<byte[]> leaves(int count, String prefix) {
        return IntStream.range(0, count)
                .mapToObj(i -> MerkleTree.leafHash((prefix + i).getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }
}
