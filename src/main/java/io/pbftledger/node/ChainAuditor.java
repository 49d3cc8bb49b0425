package io.pbftledger.node;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.ChainVerifier;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Re-verifies the stored chain from genesis: every hash link, Merkle root, state hash and
 * certificate. One verification runs at a time (a second caller is refused with a retry time, not
 * queued), and each continues from the newest block an earlier one verified in this process: the
 * stored genesis and the verified tip are re-read and must still be the ones verified (else it
 * starts again from genesis), then only the blocks above the tip are checked. A restart forgets
 * the verified prefix, so the first verification after it checks the whole chain.
 */
public final class ChainAuditor {
    private static final int PAGE_BLOCKS = 100;
    /** Retry-After for a verification asked for while another runs. */
    public static final long BUSY_RETRY_AFTER_SECONDS = 5;

    private final Membership membership;
    private final long checkpointInterval;
    private final LedgerQueries queries;
    private final BlockStore store;
    private final ReentrantLock running = new ReentrantLock();
    /** The newest block verified so far and how many blocks (genesis included) that is; guarded by {@link #running}. */
    private BlockHeader verifiedTip;
    private long verifiedBlocks;
    /** Follows the membership from the genesis up to {@link #verifiedTip}; guarded by {@link #running}. */
    private ChainVerifier verifier;

    /** An auditor of a chain whose checkpoints, where replica-set changes take effect, are the default apart. */
    public ChainAuditor(Membership membership, LedgerQueries queries, BlockStore store) {
        this(membership, ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL, queries, store);
    }

    public ChainAuditor(Membership membership, long checkpointInterval, LedgerQueries queries, BlockStore store) {
        this.membership = membership;
        this.checkpointInterval = checkpointInterval;
        this.queries = queries;
        this.store = store;
    }

    /**
     * The chain's check, from the verified prefix up to the stored height; throws
     * {@link RateLimitedException} while another verification runs.
     */
    public ChainCheck verify() {
        if (!running.tryLock()) {
            throw new RateLimitedException(RateLimitedException.Scope.REPLICA, "one chain verification runs at a time "
                    + "and one is running; retry in " + BUSY_RETRY_AFTER_SECONDS + " s", BUSY_RETRY_AFTER_SECONDS);
        }
        try {
            return verifyFromTip();
        } finally {
            running.unlock();
        }
    }

    private ChainCheck verifyFromTip() {
        long height = store.latestHeader().height();
        Block genesis = Genesis.of(membership);
        Optional<Block> storedGenesis = queries.blockByHeight(0);
        if (storedGenesis.isEmpty() || !storedGenesis.get().hash().equals(genesis.hash())) {
            forget();
            return new ChainCheck(false, height, 0, 0L, "the stored genesis block is not this membership's");
        }
        if (verifiedTip == null || !stillStored(verifiedTip, height)) {
            verifiedTip = genesis.header();
            verifiedBlocks = 1;
            // The memberships (clients, replica sets) are followed from the genesis, block by block.
            verifier = new ChainVerifier(membership, checkpointInterval);
        }
        for (long from = verifiedTip.height() + 1; from <= height; from += PAGE_BLOCKS) {
            List<Block> page = queries.blocksBetween(from, Math.min(height, from + PAGE_BLOCKS - 1));
            for (Block block : page) {
                if (block.height() != verifiedTip.height() + 1) {
                    return new ChainCheck(false, height, verifiedBlocks, verifiedTip.height() + 1, "block is missing");
                }
                long at = block.height();
                // Executed before this block: the one stored execution of the pair lies below it.
                PriorExecution prior = (clientId, nonce) -> store.findByClientNonce(clientId, nonce)
                        .map(r -> r.blockHeight() < at).orElse(false);
                Optional<String> problem = verifier.problem(verifiedTip, block, prior);
                if (problem.isPresent()) {
                    return new ChainCheck(false, height, verifiedBlocks, block.height(), problem.get());
                }
                verifiedTip = block.header();
                verifiedBlocks++;
            }
        }
        if (verifiedTip.height() != height) {
            return new ChainCheck(false, height, verifiedBlocks, verifiedTip.height() + 1, "block is missing");
        }
        return new ChainCheck(true, height, verifiedBlocks, null, null);
    }

    /** Whether the block verified as {@code tip} is still stored, unchanged, at or below {@code height}. */
    private boolean stillStored(BlockHeader tip, long height) {
        if (tip.height() == 0) {
            return true;
        }
        return tip.height() <= height && queries.blockByHeight(tip.height())
                .map(b -> b.hash().equals(tip.hash())).orElse(false);
    }

    private void forget() {
        verifier = null;
        verifiedTip = null;
        verifiedBlocks = 0;
    }

    /**
     * The problem with the newest stored block's commit certificate for this chain, or empty (also
     * when only the genesis is stored). Checked at start: a database whose replica signatures were
     * made without this chain's signing domain (by an older signature format, or for another
     * membership) is found before the replica serves or extends it.
     */
    public Optional<String> newestCertificateProblem() {
        return newestCertificateProblem(ReplicaRoster.genesis(membership, ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL));
    }

    /** As {@link #newestCertificateProblem()}, judged by the replica sets of {@code replicas}. */
    public Optional<String> newestCertificateProblem(ReplicaRoster replicas) {
        long height = store.latestHeader().height();
        if (height == 0) {
            return Optional.empty();
        }
        Optional<Block> newest = queries.blockByHeight(height);
        if (newest.isEmpty()) {
            return Optional.of("block " + height + " is missing");
        }
        return new ChainVerifier(membership).certificateProblem(newest.get().header(), newest.get().certificate(), replicas)
                .map(problem -> "block " + height + ": " + problem);
    }
}
