package io.pbftledger.transport;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockVolume;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.ScannedPairs;
import io.pbftledger.chain.SignatureCheck;
import io.pbftledger.chain.Transaction;
import io.pbftledger.node.StateTransfer;
import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Fault mode {@code lying-state-transfer}: state-transfer pages of a chain with one committed block
 * left out. The block left out is the one at the first height asked for (the asking replica's next
 * block); every later block is the stored one moved one height down and re-executed there, under
 * the client membership and earlier executions of the lying chain, so its header, state hash and
 * hash are recomputed and it verifies on its own: its commit certificate binds (view, sequence,
 * digest) only, and sequences may skip. The lying chain stays the same across pages (a later page
 * continues it), so only a proof against a certified checkpoint digest or block hash exposes it.
 * Everything else the replica does is honest.
 *
 * <p>A page that does not continue the last one is recomputed from the block left out (test mode
 * only; the cost grows with the distance).
 */
public final class LyingBlockPages implements PeerBlockPages {
    private final LedgerQueries queries;
    private final Block genesis;
    private final LongFunction<ClientMembership> clientsAfter;
    private final StateTransfer.StoredExecutions executed;
    /** The stored height left out of the lying chain, or -1 before the first page. */
    private long omitted = -1;
    private BlockHeader tip;
    private ClientMembership clients;
    private ScannedPairs pairs;

    /**
     * @param clientsAfter the stored client membership after a height
     * @param executed     which (clientId, nonce) pairs stored blocks at or below a height executed
     */
    public LyingBlockPages(Membership membership, LedgerQueries queries, LongFunction<ClientMembership> clientsAfter,
                           StateTransfer.StoredExecutions executed) {
        this.queries = queries;
        this.genesis = Genesis.of(membership);
        this.clientsAfter = clientsAfter;
        this.executed = executed;
    }

    @Override
    public synchronized List<Block> blocksBetween(long fromHeight, long toHeight) {
        if (fromHeight < 1) {
            return queries.blocksBetween(fromHeight, toHeight);
        }
        if (omitted < 0 || fromHeight <= omitted) {
            if (!restart(fromHeight)) {
                return queries.blocksBetween(fromHeight, toHeight);
            }
        } else if (fromHeight != tip.height() + 1) {
            restart(omitted);
            while (tip.height() < fromHeight - 1) {
                if (next().isEmpty()) {
                    return List.of();
                }
            }
        }
        List<Block> page = new ArrayList<>();
        while (tip.height() < toHeight) {
            Optional<Block> lie = next();
            if (lie.isEmpty()) {
                break;
            }
            page.add(lie.get());
        }
        return page;
    }

    /**
     * The lying chain's block at height h is the stored block h + 1 re-executed, with the same
     * transactions: its volume is that of the stored block above (below height 1 the chain is honest).
     */
    @Override
    public SortedMap<Long, BlockVolume> volumesBetween(long fromHeight, long toHeight) {
        if (fromHeight < 1) {
            return queries.volumesBetween(fromHeight, toHeight);
        }
        SortedMap<Long, BlockVolume> out = new TreeMap<>();
        queries.volumesBetween(fromHeight + 1, toHeight + 1).forEach((height, volume) -> out.put(height - 1, volume));
        return out;
    }

    /** Starts the lying chain that leaves out stored block {@code height}; false when the block before it is missing. */
    private boolean restart(long height) {
        Optional<Block> before = height == 1 ? Optional.of(genesis) : queries.blockByHeight(height - 1);
        if (before.isEmpty()) {
            return false;
        }
        long below = height - 1;
        omitted = height;
        tip = before.get().header();
        clients = clientsAfter.apply(below);
        pairs = new ScannedPairs((clientId, nonce) -> executed.executedAtOrBelow(clientId, nonce, below));
        return true;
    }

    /** The next block of the lying chain: the stored block one height above, re-executed on the lying tip. */
    private Optional<Block> next() {
        Optional<Block> stored = queries.blockByHeight(tip.height() + 2);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Block honest = stored.get();
        BlockHeader h = honest.header();
        List<ClientRequest> requests = new ArrayList<>(honest.transactions().size());
        for (Transaction tx : honest.transactions()) {
            requests.add(tx.toRequest());
        }
        ExecutedBlock lie = BlockExecutor.execute(tip, clients, new OrderedBatch(h.view(), h.sequence(), h.timestamp(),
                h.primary(), h.batchDigest(), requests, honest.certificate()), SignatureCheck.DIRECT, pairs);
        pairs.passed(lie.block());
        tip = lie.block().header();
        clients = lie.clientsAfter();
        return Optional.of(lie.block());
    }
}
