package io.imprint.pki.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of RFC 9162 section 2.1 (as Certificate Transparency uses it) over SHA-256: tree heads,
 * inclusion proofs and consistency proofs, and their verification as an auditor runs it with the tree head
 * alone. Leaves are given as leaf hashes ({@link #leafHash}); a tree of n leaves is the first n of the list.
 */
public final class MerkleTree {
    public static final int HASH_LENGTH = 32;
    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    private MerkleTree() {}

    /** The leaf hash of an entry: SHA-256(0x00 || entry). */
    public static byte[] leafHash(byte[] entry) {
        MessageDigest sha256 = sha256();
        sha256.update(LEAF);
        return sha256.digest(entry);
    }

    /** MTH of the first {@code size} leaves; the empty tree's is SHA-256 of nothing. */
    public static byte[] root(List<byte[]> leaves, int size) {
        checkSize(leaves, size);
        return size == 0 ? emptyRoot() : subtree(leaves, 0, size);
    }

    /** PATH(index, D[size]): the hashes that, with the leaf, give the tree head of size {@code size}. */
    public static List<byte[]> inclusionProof(List<byte[]> leaves, int index, int size) {
        checkSize(leaves, size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path((from, to) -> subtree(leaves, from, to), index, 0, size, proof);
        return proof;
    }

    /**
     * PROOF(first, D[second]): the hashes that show the tree of {@code second} leaves extends the tree of
     * {@code first}; empty when first is 0 or equals second.
     */
    public static List<byte[]> consistencyProof(List<byte[]> leaves, int first, int second) {
        checkSize(leaves, second);
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("a tree of " + first + " cannot precede one of " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        if (first > 0 && first < second) {
            subproof((from, to) -> subtree(leaves, from, to), first, 0, second, true, proof);
        }
        return proof;
    }

    /** RFC 9162 2.1.3.2: whether {@code proof} shows the leaf at {@code index} is in the tree with {@code root}. */
    public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size || !wellFormed(leafHash, root, proof)) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /** RFC 9162 2.1.4.2: whether {@code proof} shows the tree of {@code second} leaves extends that of {@code first}. */
    public static boolean verifyConsistency(
            long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (first < 0 || first > second || !wellFormed(firstRoot, secondRoot, proof)) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        if (first == 0) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, emptyRoot());
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> c = new ArrayList<>();
        if (Long.bitCount(first) == 1) {
            c.add(firstRoot);
        }
        c.addAll(proof);
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = c.get(0);
        byte[] sr = c.get(0);
        for (byte[] node : c.subList(1, c.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(node, fr);
                sr = nodeHash(node, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, node);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha256 = sha256();
        sha256.update(NODE);
        sha256.update(left);
        return sha256.digest(right);
    }

    /** MTH(D[from:to]) of some tree's leaves; from < to. */
    @FunctionalInterface
    interface SubtreeHash {
        byte[] of(long from, long to);
    }

    private static byte[] subtree(List<byte[]> leaves, long from, long to) {
        if (to - from == 1) {
            return leaves.get(Math.toIntExact(from));
        }
        long k = split(to - from);
        return nodeHash(subtree(leaves, from, from + k), subtree(leaves, from + k, to));
    }

    /** RFC 9162 2.1.3.1 PATH(index, D[from:to]), appended to {@code proof}. */
    static void path(SubtreeHash tree, long index, long from, long to, List<byte[]> proof) {
        if (to - from == 1) {
            return;
        }
        long k = split(to - from);
        if (index < k) {
            path(tree, index, from, from + k, proof);
            proof.add(tree.of(from + k, to));
        } else {
            path(tree, index - k, from + k, to, proof);
            proof.add(tree.of(from, from + k));
        }
    }

    /** RFC 9162 2.1.4.1 SUBPROOF(m, D[from:to], whole), appended to {@code proof}. */
    static void subproof(SubtreeHash tree, long m, long from, long to, boolean whole, List<byte[]> proof) {
        long n = to - from;
        if (m == n) {
            if (!whole) {
                proof.add(tree.of(from, to));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(tree, m, from, from + k, whole, proof);
            proof.add(tree.of(from + k, to));
        } else {
            subproof(tree, m - k, from + k, to, false, proof);
            proof.add(tree.of(from, from + k));
        }
    }

    static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** The largest power of two smaller than n (n > 1). */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static void checkSize(List<byte[]> leaves, int size) {
        if (size < 0 || size > leaves.size()) {
            throw new IllegalArgumentException("a tree of " + size + " leaves from " + leaves.size());
        }
    }

    private static boolean wellFormed(byte[] a, byte[] b, List<byte[]> proof) {
        return a != null
                && a.length == HASH_LENGTH
                && b != null
                && b.length == HASH_LENGTH
                && proof.stream().allMatch(p -> p != null && p.length == HASH_LENGTH);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
