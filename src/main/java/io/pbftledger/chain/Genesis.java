package io.pbftledger.chain;

import io.pbftledger.crypto.MerkleTree;
import io.pbftledger.crypto.Sha256;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.SigningDomain;
import java.util.List;

/**
 * The genesis block (height 0), derived from the chain id, the replica membership and (when the
 * membership file fixes it) the checkpoint interval only, so replicas of different clusters, or of
 * one cluster configured with different intervals, never accept each other's blocks.
 * <pre>
 *   batchDigest = SHA-256("PBFT-GENESIS" || u8 1 || u16 len chainId || u32 n || per replica: u32 id, 32-byte key)
 *                 without a fixed checkpoint interval K, and with one:
 *                 SHA-256("PBFT-GENESIS" || u8 2 || u16 len chainId || u32 n || per replica: u32 id, 32-byte key
 *                         || u64 K)
 *   stateHash   = SHA-256("PBFT-STATE" || batchDigest)
 *   previousHash = 32 zero bytes, transactionsRoot = SHA-256(""), every number 0
 * </pre>
 */
public final class Genesis {
    private Genesis() {
    }

    public static Block of(Membership membership) {
        CanonicalWriter w = new CanonicalWriter(72 + 36 * membership.n())
                .ascii("PBFT-GENESIS").u8(membership.fixesCheckpointInterval() ? 2 : 1)
                .shortString(membership.chainId()).u32(membership.n());
        for (Membership.Replica r : membership.replicas()) {
            w.u32(r.id()).raw(r.publicKey().encoded());
        }
        if (membership.fixesCheckpointInterval()) {
            w.u64(membership.checkpointInterval());
        }
        Digest membershipDigest = new Digest(Sha256.hash(w.toByteArray()));
        Digest stateHash = new Digest(Sha256.hash(StateHash.DOMAIN, membershipDigest.bytes()));
        BlockHeader header = new BlockHeader(0, Digest.ZERO, 0, 0, 0, 0, membershipDigest,
                new Digest(MerkleTree.root(List.of())), stateHash, 0);
        return Block.of(header, List.of(), List.of());
    }

    /** What this chain's replicas sign under: the hash of its genesis block. */
    public static SigningDomain signingDomain(Membership membership) {
        return new SigningDomain(of(membership).hash());
    }
}
