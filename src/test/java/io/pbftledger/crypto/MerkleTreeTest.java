package io.pbftledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Sha256.hash(new byte[] {(byte) i, (byte) (i >> 8)}));
        }
        return out;
    }

    @Test
    void rootOfOneLeafIsItsLeafHashAndOfTwoIsTheNodeHash() {
        byte[] a = Sha256.hash(new byte[] {1});
        byte[] b = Sha256.hash(new byte[] {2});
        byte[] leafA = Sha256.hash(new byte[] {0}, a);
        byte[] leafB = Sha256.hash(new byte[] {0}, b);
        assertThat(MerkleTree.root(List.of(a))).isEqualTo(leafA);
        assertThat(MerkleTree.root(List.of(a, b))).isEqualTo(Sha256.hash(new byte[] {1}, leafA, leafB));
        assertThat(MerkleTree.root(List.of())).isEqualTo(Sha256.hash());
    }

    @Test
    void duplicatingTheLastLeafChangesTheRoot() {
        List<byte[]> three = leaves(3);
        List<byte[]> four = new ArrayList<>(three);
        four.add(three.get(2));
        assertThat(MerkleTree.root(three)).isNotEqualTo(MerkleTree.root(four));
    }

    @Test
    void everyAuditPathLeadsBackToTheRootForTreesOfManySizes() {
        for (int n = 1; n <= 33; n++) {
            List<byte[]> leaves = leaves(n);
            byte[] root = MerkleTree.root(leaves);
            for (int i = 0; i < n; i++) {
                List<byte[]> path = MerkleTree.path(leaves, i);
                assertThat(MerkleTree.rootFromPath(leaves.get(i), i, n, path)).as("n=%d i=%d", n, i).isEqualTo(root);
            }
        }
    }

    @Test
    void aPathForAnotherLeafOrIndexDoesNotVerify() {
        List<byte[]> leaves = leaves(7);
        byte[] root = MerkleTree.root(leaves);
        List<byte[]> path = MerkleTree.path(leaves, 3);
        assertThat(MerkleTree.rootFromPath(leaves.get(4), 3, 7, path)).isNotEqualTo(root);
        assertThat(MerkleTree.rootFromPath(leaves.get(3), 2, 7, path)).isNotEqualTo(root);
        assertThatThrownBy(() -> MerkleTree.rootFromPath(leaves.get(3), 3, 7, path.subList(0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
