package io.imprint.pki.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * A growing RFC 9162 Merkle tree kept in memory as every perfect, aligned subtree's hash (2n hashes for n
 * leaves, 64 bytes a leaf): a tree head or a proof for any size up to the current one costs O(log n) hashes,
 * where {@link MerkleTree} rehashes every leaf. Leaves are appended in order and never change, so the hashes
 * stored for the first n leaves answer for every tree of size n or less. Thread-safe.
 */
public final class MerkleLog {
    /** Level k holds the hash of each aligned subtree of 2^k leaves completed so far. */
    private final List<HashColumn> levels = new ArrayList<>();

    public MerkleLog() {
        levels.add(new HashColumn());
    }

    public synchronized long size() {
        return levels.get(0).size();
    }

    /** Appends the next leaf, given as its leaf hash ({@link MerkleTree#leafHash}). */
    public synchronized void append(byte[] leafHash) {
        if (leafHash.length != MerkleTree.HASH_LENGTH) {
            throw new IllegalArgumentException("a leaf hash is " + MerkleTree.HASH_LENGTH + " bytes");
        }
        levels.get(0).add(leafHash);
        long index = levels.get(0).size() - 1;
        for (int level = 0; (index & 1) == 1; level++, index >>= 1) {
            if (levels.size() == level + 1) {
                levels.add(new HashColumn());
            }
            HashColumn column = levels.get(level);
            levels.get(level + 1).add(MerkleTree.nodeHash(column.get(index - 1), column.get(index)));
        }
    }

    /** MTH of the first {@code size} leaves. */
    public synchronized byte[] root(long size) {
        checkSize(size);
        return size == 0 ? MerkleTree.emptyRoot() : subtree(0, size);
    }

    /** PATH(index, D[size]), as {@link MerkleTree#inclusionProof}. */
    public synchronized List<byte[]> inclusionProof(long index, long size) {
        checkSize(size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        MerkleTree.path(this::subtree, index, 0, size, proof);
        return proof;
    }

    /** PROOF(first, D[second]), as {@link MerkleTree#consistencyProof}. */
    public synchronized List<byte[]> consistencyProof(long first, long second) {
        checkSize(second);
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("a tree of " + first + " cannot precede one of " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        if (first > 0 && first < second) {
            MerkleTree.subproof(this::subtree, first, 0, second, true, proof);
        }
        return proof;
    }

    /** MTH(D[from:to]): stored when the range is a perfect, aligned subtree, else split as RFC 9162 does. */
    private byte[] subtree(long from, long to) {
        long n = to - from;
        if (Long.bitCount(n) == 1 && from % n == 0) {
            int level = Long.numberOfTrailingZeros(n);
            return levels.get(level).get(from >> level);
        }
        long k = MerkleTree.split(n);
        return MerkleTree.nodeHash(subtree(from, from + k), subtree(from + k, to));
    }

    private void checkSize(long size) {
        if (size < 0 || size > size()) {
            throw new IllegalArgumentException("a tree of " + size + " leaves from " + size());
        }
    }

    /** Hashes in one growing column of fixed-size chunks: no copying as it grows, no object per hash. */
    private static final class HashColumn {
        private static final int PER_CHUNK = 1 << 14;
        private final List<byte[]> chunks = new ArrayList<>();
        private long size;

        long size() {
            return size;
        }

        void add(byte[] hash) {
            int offset = (int) (size % PER_CHUNK) * MerkleTree.HASH_LENGTH;
            if (offset == 0) {
                chunks.add(new byte[PER_CHUNK * MerkleTree.HASH_LENGTH]);
            }
            System.arraycopy(hash, 0, chunks.get(chunks.size() - 1), offset, MerkleTree.HASH_LENGTH);
            size++;
        }

        byte[] get(long index) {
            byte[] chunk = chunks.get(Math.toIntExact(index / PER_CHUNK));
            int offset = (int) (index % PER_CHUNK) * MerkleTree.HASH_LENGTH;
            byte[] hash = new byte[MerkleTree.HASH_LENGTH];
            System.arraycopy(chunk, offset, hash, 0, MerkleTree.HASH_LENGTH);
            return hash;
        }
    }
}
