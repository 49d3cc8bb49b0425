package io.pbftledger.node;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ClientMembershipStore;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.pbft.message.Digest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The evidence that a replica-set change took effect, for verifiers that trust only the genesis
 * membership: the stable checkpoint at the change's boundary (a quorum of the old set signed it) with
 * the preimage of its state digest. That digest covers the newest replica set
 * ({@link CheckpointDigest}), which at the boundary is the new epoch, so the old set's signatures
 * certify the new set, its keys, URLs and first sequence.
 *
 * <p>A replica that reached a boundary by state transfer past it stored no proof of it; it answers
 * without one and a verifier asks another replica.
 */
public final class EpochProofs {
    private final CheckpointStore checkpoints;
    private final BlockStore blocks;
    private final LongFunction<ClientMembership> membershipAt;
    /**
     * Proofs found, by epoch: a stored stable checkpoint and the blocks at or below it never change, so
     * the history endpoint does not replay the membership for every change on every request. At most
     * one entry per replica-set change, which only an admin makes.
     */
    private final Map<Long, EpochProof> found = new ConcurrentHashMap<>();

    /** {@code membershipAt} gives the membership after the block of a height. */
    public EpochProofs(CheckpointStore checkpoints, BlockStore blocks, LongFunction<ClientMembership> membershipAt) {
        this.checkpoints = checkpoints;
        this.blocks = blocks;
        this.membershipAt = membershipAt;
    }

    /** A replica store and its client-membership store, judged from {@code genesis}. */
    public static EpochProofs stored(CheckpointStore checkpoints, BlockStore blocks, ClientMembershipStore store,
                                     ClientMembership genesis) {
        return new EpochProofs(checkpoints, blocks, height -> store.loadAt(genesis, height));
    }

    /**
     * The proof that {@code epoch} (not the genesis one) took effect: the stable checkpoint at the
     * sequence before its first, if this replica stored it, with a digest that recomputes from the
     * stored block and membership.
     */
    public Optional<EpochProof> of(ReplicaRoster.Epoch epoch) {
        if (epoch.number() == 0) {
            throw new IllegalArgumentException("epoch 0 is the membership file's: it needs no proof");
        }
        EpochProof known = found.get(epoch.number());
        if (known != null) {
            return Optional.of(known);
        }
        long boundary = epoch.firstSequence() - 1;
        Optional<StoredCheckpoint> stored = checkpoints.at(boundary);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        BlockHeader last = blocks.headerAtOrBelowSequence(boundary);
        ClientMembership after = membershipAt.apply(last.height());
        ReplicaRoster.Epoch newest = after.replicas().latest();
        Digest digest = CheckpointDigest.of(boundary, last.hash(), after.digest());
        // The stored chain must say the same as the signed digest; a replica whose storage disagrees
        // with what its peers signed serves no proof rather than one that cannot verify.
        if (newest.number() != epoch.number() || !digest.equals(stored.get().stateDigest())) {
            return Optional.empty();
        }
        EpochProof proof = new EpochProof(stored.get(), last.hash(), after.clientsDigest());
        found.put(epoch.number(), proof);
        return Optional.of(proof);
    }

    /** A boundary checkpoint and the parts of its state digest besides the new set. */
    public record EpochProof(StoredCheckpoint checkpoint, Digest lastBlockHash, Digest clientsDigest) {
    }
}
