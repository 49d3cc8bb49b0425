package io.pbftledger.crypto;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Merkle tree over 32-byte leaves in the RFC 6962 (Certificate Transparency) shape: leaf hash =
 * SHA-256(0x00 || leaf), node hash = SHA-256(0x01 || left || right), and a tree of n leaves
 * splits at the largest power of two below n. Unlike "duplicate the last leaf" trees, two
 * different leaf lists never share a root. The root of no leaves is SHA-256 of nothing.
 */
public final class MerkleTree {
    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    private MerkleTree() {
    }

    public static byte[] root(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            return Sha256.hash();
        }
        List<byte[]> level = new ArrayList<>(leaves.size());
        for (byte[] leaf : leaves) {
            level.add(leafHash(leaf));
        }
        return subtreeRoot(level, 0, level.size());
    }

    /** Audit path for leaf {@code index}: sibling hashes from the leaf up to the root. */
    public static List<byte[]> path(List<byte[]> leaves, int index) {
        if (index < 0 || index >= leaves.size()) {
            throw new IndexOutOfBoundsException("leaf " + index + " of " + leaves.size());
        }
        List<byte[]> hashed = new ArrayList<>(leaves.size());
        for (byte[] leaf : leaves) {
            hashed.add(leafHash(leaf));
        }
        List<byte[]> path = new ArrayList<>();
        collectPath(hashed, 0, hashed.size(), index, path);
        return path;
    }

    /** Recomputes the root from a leaf, its index, the tree size and its audit path. */
    public static byte[] rootFromPath(byte[] leaf, int index, int size, List<byte[]> path) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " outside a tree of " + size);
        }
        return fold(leafHash(leaf), index, size, path, path.size());
    }

    private static byte[] fold(byte[] hash, int index, int size, List<byte[]> path, int end) {
        if (size == 1) {
            if (end != 0) {
                throw new IllegalArgumentException("audit path is too long");
            }
            return hash;
        }
        if (end == 0) {
            throw new IllegalArgumentException("audit path is too short");
        }
        int k = largestPowerOfTwoBelow(size);
        byte[] sibling = path.get(end - 1);
        if (index < k) {
            return nodeHash(fold(hash, index, k, path, end - 1), sibling);
        }
        return nodeHash(sibling, fold(hash, index - k, size - k, path, end - 1));
    }

    private static void collectPath(List<byte[]> hashes, int from, int to, int index, List<byte[]> out) {
        int size = to - from;
        if (size == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(size);
        if (index < k) {
            collectPath(hashes, from, from + k, index, out);
            out.add(subtreeRoot(hashes, from + k, to));
        } else {
            collectPath(hashes, from + k, to, index - k, out);
            out.add(subtreeRoot(hashes, from, from + k));
        }
    }

    private static byte[] subtreeRoot(List<byte[]> hashes, int from, int to) {
        int size = to - from;
        if (size == 1) {
            return hashes.get(from);
        }
        int k = largestPowerOfTwoBelow(size);
        return nodeHash(subtreeRoot(hashes, from, from + k), subtreeRoot(hashes, from + k, to));
    }

    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static byte[] leafHash(byte[] leaf) {
        MessageDigest md = Sha256.newDigest();
        md.update(LEAF);
        md.update(leaf);
        return md.digest();
    }

    private static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest md = Sha256.newDigest();
        md.update(NODE);
        md.update(left);
        md.update(right);
        return md.digest();
    }
}
