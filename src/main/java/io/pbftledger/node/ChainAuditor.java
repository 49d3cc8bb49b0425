package io.pbftledger.node;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.ChainVerifier;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import java.util.List;
import java.util.Optional;

/** Re-verifies the stored chain from genesis: every hash link, Merkle root, state hash and certificate. */
public final class ChainAuditor {
    private static final int PAGE_BLOCKS = 100;

    private final Membership membership;
    private final LedgerQueries queries;
    private final BlockStore store;

    public ChainAuditor(Membership membership, LedgerQueries queries, BlockStore store) {
        this.membership = membership;
        this.queries = queries;
        this.store = store;
    }

    public ChainCheck verify() {
        long height = store.latestHeader().height();
        Block genesis = Genesis.of(membership);
        Optional<Block> storedGenesis = queries.blockByHeight(0);
        if (storedGenesis.isEmpty() || !storedGenesis.get().hash().equals(genesis.hash())) {
            return new ChainCheck(false, height, 0, 0L, "the stored genesis block is not this membership's");
        }
        ChainVerifier verifier = new ChainVerifier(membership);
        BlockHeader previous = genesis.header();
        long checked = 1;
        for (long from = 1; from <= height; from += PAGE_BLOCKS) {
            List<Block> page = queries.blocksBetween(from, Math.min(height, from + PAGE_BLOCKS - 1));
            for (Block block : page) {
                if (block.height() != previous.height() + 1) {
                    return new ChainCheck(false, height, checked, previous.height() + 1, "block is missing");
                }
                long at = block.height();
                // Executed before this block: the one stored execution of the pair lies below it.
                PriorExecution prior = (clientId, nonce) -> store.findByClientNonce(clientId, nonce)
                        .map(r -> r.blockHeight() < at).orElse(false);
                Optional<String> problem = verifier.problem(previous, block, prior);
                if (problem.isPresent()) {
                    return new ChainCheck(false, height, checked, block.height(), problem.get());
                }
                previous = block.header();
                checked++;
            }
        }
        if (previous.height() != height) {
            return new ChainCheck(false, height, checked, previous.height() + 1, "block is missing");
        }
        return new ChainCheck(true, height, checked, null, null);
    }

    /**
     * The problem with the newest stored block's commit certificate for this chain, or empty (also
     * when only the genesis is stored). Checked at start: a database whose replica signatures were
     * made without this chain's signing domain (by an older signature format, or for another
     * membership) is found before the replica serves or extends it.
     */
    public Optional<String> newestCertificateProblem() {
        long height = store.latestHeader().height();
        if (height == 0) {
            return Optional.empty();
        }
        Optional<Block> newest = queries.blockByHeight(height);
        if (newest.isEmpty()) {
            return Optional.of("block " + height + " is missing");
        }
        return new ChainVerifier(membership).certificateProblem(newest.get().header(), newest.get().certificate())
                .map(problem -> "block " + height + ": " + problem);
    }
}
