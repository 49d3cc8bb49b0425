package io.pbftledger.node;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ChainVerifier;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.chain.ScannedPairs;
import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Membership;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a replica that fell behind up to the newest stable checkpoint its peers hold, without
 * trusting any single peer (TOCS 6). On its own thread it
 * <ol>
 *   <li>asks the peers for their newest stable checkpoint and keeps the highest whose proof has 2f+1
 *       valid signatures;</li>
 *   <li>fetches the missing blocks in pages, re-executes each one under the client membership the
 *       blocks before it made and checks it with {@link ChainVerifier} (hash link, Merkle root,
 *       state hash, 2f+1 commit signatures); a peer
 *       that serves a bad block is dropped for this transfer and the next peer is asked;</li>
 *   <li>checks that the last block at or below the checkpoint and the client membership after it
 *       give the checkpoint's state digest (so no block was left out), and</li>
 *   <li>hands the verified blocks and then the checkpoint to the consensus thread, which applies them.</li>
 * </ol>
 */
public final class StateTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(StateTransfer.class);

    /**
     * What a transfer hands the consensus thread, in order: verified blocks up to a stable checkpoint
     * (stored directly), the checkpoint to install (or null), and verified blocks beyond it
     * ({@code certified}: given to the core as certified batches, which it takes only in sequence).
     */
    public record Fetched(List<ExecutedBlock> blocks, StoredCheckpoint checkpoint, List<ExecutedBlock> certified) {
        public Fetched {
            blocks = List.copyOf(blocks);
            certified = List.copyOf(certified);
        }
    }

    /** Pages of committed blocks beyond the newest stable checkpoint fetched per transfer (the window's worth). */
    private static final int TAIL_PAGES_MAX = 8;

    private final Membership membership;
    private final int selfId;
    private final PeerFetcher fetcher;
    private final ExecutorService worker;
    private final Consumer<Fetched> deliver;
    private final Supplier<ClientMembership> clients;
    private final int pageBlocks;
    private final ChainVerifier verifier;
    private final StoredExecutions local;
    private final LongSupplier storedHeight;
    /** Pairs of the blocks this run verified that the store may not hold yet; only the worker thread uses it. */
    private ScannedPairs fetchedPairs;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong rejectedPeers = new AtomicLong();

    public StateTransfer(Membership membership, int selfId, PeerFetcher fetcher, ExecutorService worker,
                         Consumer<Fetched> deliver, Supplier<ClientMembership> clients, int pageBlocks) {
        this(membership, selfId, fetcher, worker, deliver, clients, pageBlocks, StoredExecutions.NONE, () -> 0L);
    }

    /**
     * Where the local store executed a (clientId, nonce) pair, asked with a height bound: the consensus
     * thread keeps executing and storing blocks while a transfer runs, so "executed anywhere in the
     * store" would count pairs of blocks above the one being verified and skip their transactions
     * (every honest peer's block then fails its stateHash check; seen under load in session 3).
     */
    @FunctionalInterface
    public interface StoredExecutions {
        StoredExecutions NONE = (clientId, nonce, height) -> false;

        /** Whether a block at or below {@code height} in the local store executed this pair. */
        boolean executedAtOrBelow(String clientId, long nonce, long height);
    }

    /**
     * @param clients      the client membership after the local store's newest block (read by the
     *                     consensus thread when a transfer starts)
     * @param local        which (clientId, nonce) pairs the local store executed at or below a height:
     *                     re-execution of a fetched block skips those executed below it, as the replicas
     *                     that made the block did
     * @param storedHeight the local store's height; pairs of fetched blocks at or below it are forgotten
     */
    public StateTransfer(Membership membership, int selfId, PeerFetcher fetcher, ExecutorService worker,
                         Consumer<Fetched> deliver, Supplier<ClientMembership> clients, int pageBlocks,
                         StoredExecutions local, LongSupplier storedHeight) {
        this.local = local;
        this.storedHeight = storedHeight;
        this.membership = membership;
        this.selfId = selfId;
        this.fetcher = fetcher;
        this.worker = worker;
        this.deliver = deliver;
        this.clients = clients;
        this.pageBlocks = pageBlocks;
        this.verifier = new ChainVerifier(membership);
    }

    /**
     * Starts a transfer from {@code localTip} unless one is running; returns whether it started. Called
     * by the consensus thread, so the client membership read here is the one after {@code localTip}.
     */
    public boolean start(BlockHeader localTip, long lastExecutedSequence) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        ClientMembership clientsAtTip = clients.get();
        worker.execute(() -> {
            try {
                run(new Tip(localTip, clientsAtTip), lastExecutedSequence);
            } catch (RuntimeException e) {
                LOG.warn("state transfer failed: {}", e.toString());
            } finally {
                running.set(false);
            }
        });
        return true;
    }

    public boolean running() {
        return running.get();
    }

    public long completedTransfers() {
        return completed.get();
    }

    /** Peers caught serving something that does not verify, over all transfers. */
    public long rejectedPeers() {
        return rejectedPeers.get();
    }

    /** The newest verified block of a transfer and the client membership after it. */
    private static final class Tip {
        private BlockHeader header;
        private ClientMembership clients;

        Tip(BlockHeader header, ClientMembership clients) {
            this.header = header;
            this.clients = clients;
        }

        void moveTo(ExecutedBlock executed) {
            header = executed.block().header();
            clients = executed.clientsAfter();
        }
    }

    private void run(Tip tipRef, long lastExecutedSequence) {
        fetchedPairs = new ScannedPairs(PriorExecution.NONE);
        Set<Integer> distrusted = new HashSet<>();
        Optional<StoredCheckpoint> target = bestCheckpoint(lastExecutedSequence);
        if (target.isPresent() && !toCheckpoint(target.get(), tipRef, distrusted)) {
            return;
        }
        fetchTail(tipRef, distrusted);
    }

    /** Reaches the stable checkpoint {@code cp}; false when no peer could complete the chain to it. */
    private boolean toCheckpoint(StoredCheckpoint cp, Tip tipRef, Set<Integer> distrusted) {
        BlockHeader localTip = tipRef.header;
        LOG.info("state transfer: from height {} (sequence {}) to checkpoint {}", localTip.height(),
                localTip.sequence(), cp.sequence());
        for (int peer : peersInOrder()) {
            if (distrusted.contains(peer)) {
                continue;
            }
            try {
                fetchFrom(peer, tipRef, cp);
            } catch (BadPeerException e) {
                distrusted.add(peer);
                rejectedPeers.incrementAndGet();
                LOG.warn("state transfer: replica {} served an invalid block ({}); asking another", peer, e.getMessage());
                continue;
            } catch (IOException e) {
                LOG.debug("state transfer: replica {} unreachable: {}", peer, e.toString());
                continue;
            }
            BlockHeader tip = tipRef.header;
            if (CheckpointDigest.of(cp.sequence(), tip.hash(), tipRef.clients.digest()).equals(cp.stateDigest())) {
                deliver.accept(new Fetched(List.of(), cp, List.of()));
                completed.incrementAndGet();
                LOG.info("state transfer: reached checkpoint {} at height {}", cp.sequence(), tip.height());
                return true;
            }
        }
        LOG.warn("state transfer: no peer completed the chain up to checkpoint {}; will retry", cp.sequence());
        return false;
    }

    /**
     * Committed blocks above the newest stable checkpoint: verified like the others, then offered to
     * the core as certified batches, so a replica that missed the agreement on them (or is alone in
     * a view change while the others moved on) still delivers them in order. A peer that has none
     * of them (it is behind too, for instance missing the same transactions after a view change)
     * passes the turn to the next.
     */
    private void fetchTail(Tip tipRef, Set<Integer> distrusted) {
        for (int peer : peersInOrder()) {
            if (distrusted.contains(peer)) {
                continue;
            }
            try {
                boolean served = false;
                for (int page = 0; page < TAIL_PAGES_MAX; page++) {
                    List<Block> blocks = fetcher.blocks(peer, tipRef.header.height() + 1, pageBlocks);
                    if (blocks.isEmpty()) {
                        break;
                    }
                    served = true;
                    List<ExecutedBlock> verified = new ArrayList<>(blocks.size());
                    for (Block block : blocks) {
                        ExecutedBlock executed = verify(tipRef.header, tipRef.clients, block);
                        verified.add(executed);
                        tipRef.moveTo(executed);
                    }
                    deliver.accept(new Fetched(List.of(), null, verified));
                }
                if (served) {
                    return;
                }
            } catch (BadPeerException e) {
                distrusted.add(peer);
                rejectedPeers.incrementAndGet();
                LOG.warn("state transfer: replica {} served an invalid block ({}); asking another", peer, e.getMessage());
            } catch (IOException e) {
                LOG.debug("state transfer: replica {} unreachable: {}", peer, e.toString());
            }
        }
    }

    /**
     * Fetches verified pages from one peer until the checkpoint's last block, moving {@code tipRef}
     * with every verified page so the next peer continues where this one stopped.
     */
    private void fetchFrom(int peer, Tip tipRef, StoredCheckpoint cp) throws IOException, BadPeerException {
        while (true) {
            Tip tip = new Tip(tipRef.header, tipRef.clients);
            List<Block> page = fetcher.blocks(peer, tip.header.height() + 1, pageBlocks);
            List<ExecutedBlock> verified = new ArrayList<>(page.size());
            boolean pastCheckpoint = false;
            for (Block block : page) {
                if (block.header().sequence() > cp.sequence()) {
                    pastCheckpoint = true;
                    break;
                }
                ExecutedBlock executed = verify(tip.header, tip.clients, block);
                verified.add(executed);
                tip.moveTo(executed);
            }
            if (!verified.isEmpty()) {
                deliver.accept(new Fetched(List.copyOf(verified), null, List.of()));
                tipRef.header = tip.header;
                tipRef.clients = tip.clients;
            }
            // A page may be cut short by the server's byte budget; only an empty one means the end.
            if (pastCheckpoint || page.isEmpty()) {
                return;
            }
        }
    }

    private ExecutedBlock verify(BlockHeader previous, ClientMembership clients, Block block) throws BadPeerException {
        fetchedPairs.forgetUpTo(storedHeight.getAsLong());
        fetchedPairs.forgetAbove(previous.height()); // blocks of a refused page are fetched again
        long below = previous.height();
        PriorExecution prior = (clientId, nonce) -> fetchedPairs.executed(clientId, nonce)
                || local.executedAtOrBelow(clientId, nonce, below);
        ChainVerifier.Verdict verdict = verifier.verify(previous, clients, block, prior);
        if (!verdict.valid()) {
            throw new BadPeerException("block " + block.height() + ": " + verdict.problem());
        }
        fetchedPairs.passed(block);
        return verdict.executed();
    }

    private Optional<StoredCheckpoint> bestCheckpoint(long above) {
        StoredCheckpoint best = null;
        for (int peer : peersInOrder()) {
            try {
                Optional<StoredCheckpoint> cp = fetcher.latestCheckpoint(peer);
                if (cp.isPresent() && cp.get().sequence() > above && CheckpointProofs.valid(cp.get(), membership)
                        && (best == null || cp.get().sequence() > best.sequence())) {
                    best = cp.get();
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("state transfer: no checkpoint from replica {}: {}", peer, e.toString());
            }
        }
        return Optional.ofNullable(best);
    }

    /** Every other replica, starting after this one so replicas spread their load. */
    private List<Integer> peersInOrder() {
        List<Integer> peers = new ArrayList<>();
        for (int i = 1; i < membership.n(); i++) {
            peers.add((selfId + i) % membership.n());
        }
        return peers;
    }

    private static final class BadPeerException extends Exception {
        BadPeerException(String message) {
            super(message);
        }
    }
}
