package io.pbftledger.node;

import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.ReplicaSignatures;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ChainVerifier;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.chain.ScannedPairs;
import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;
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
 * trusting any single peer (TOCS 6). Nothing fetched is stored or handed to the core before it is
 * proven. On its own thread it
 * <ol>
 *   <li>asks the peers for their newest stable checkpoint and keeps the highest whose proof has 2f+1
 *       valid signatures;</li>
 *   <li>fetches the missing blocks from one peer in pages, re-executes each one under the client
 *       membership the blocks before it made and checks it with {@link ChainVerifier} (hash link,
 *       Merkle root, state hash, 2f+1 commit signatures), keeping them in a bounded buffer;</li>
 *   <li>checks that the last block at or below the checkpoint and the client membership after it
 *       give the checkpoint's state digest. Only then is the chain proven: a commit certificate binds
 *       (view, sequence, digest) only and sequences may skip, so a peer could leave a committed block
 *       out, renumber the heights after it and recompute their hashes, and every block would still
 *       verify on its own; the digest is what rules that out. A peer whose chain fails any check is
 *       distrusted for this transfer, nothing it served is kept, and the next peer starts again
 *       from the proven tip;</li>
 *   <li>hands the proven blocks and then the checkpoint to the consensus thread, which stores them.
 *       When the gap is larger than the buffer ({@link Limits}), the first pass keeps only the hash
 *       of every buffer-sized segment's last block; once the digest proved them, a second pass
 *       fetches each segment again (from any peer) and hands it over only if it ends in that hash;</li>
 *   <li>fetches committed blocks beyond the checkpoint, verified as linking to the proven tip, and
 *       offers them to the core as certified batches while their sequences follow one another.</li>
 * </ol>
 */
public final class StateTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(StateTransfer.class);

    /**
     * What a transfer hands the consensus thread, in order: blocks up to a stable checkpoint, proven
     * by its state digest (stored directly), the checkpoint to install (or null), and verified blocks
     * beyond it that link to the proven chain
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

    /**
     * What a transfer holds before the checkpoint digest proves it: at most {@code bufferMaxBlocks}
     * blocks and about {@code bufferMaxBytes} bytes of them (estimated from their transactions and
     * certificates). A longer gap is proven in one pass that keeps one 32-byte hash per buffer's worth
     * of blocks, then stored in a second pass, segment by segment (see the class comment).
     */
    public record Limits(int bufferMaxBlocks, long bufferMaxBytes) {
        /** 10,000 blocks or 64 MiB, whichever comes first. */
        public static final Limits DEFAULT = new Limits(10_000, 64L << 20);

        public Limits {
            if (bufferMaxBlocks < 1 || bufferMaxBytes < 1) {
                throw new IllegalArgumentException("state transfer buffer limits must be positive");
            }
        }
    }

    private final Membership membership;
    private final int selfId;
    private final PeerFetcher fetcher;
    private final ExecutorService worker;
    private final Consumer<Fetched> deliver;
    private final Supplier<ClientMembership> clients;
    private final int pageBlocks;
    private final ChainVerifier verifier;
    private final ReplicaSignatures signatures;
    private final StoredExecutions local;
    private final LongSupplier storedHeight;
    private final Limits limits;
    private final ThreadFailures failures;
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
        this(membership, selfId, fetcher, worker, deliver, clients, pageBlocks, local, storedHeight, Limits.DEFAULT);
    }

    /** As above, with explicit limits on what is buffered before it is proven. */
    public StateTransfer(Membership membership, int selfId, PeerFetcher fetcher, ExecutorService worker,
                         Consumer<Fetched> deliver, Supplier<ClientMembership> clients, int pageBlocks,
                         StoredExecutions local, LongSupplier storedHeight, Limits limits) {
        this(membership, selfId, fetcher, worker, deliver, clients, pageBlocks, local, storedHeight, limits,
                new ThreadFailures());
    }

    /** As above; an unexpected error of a transfer is counted in {@code failures}. */
    public StateTransfer(Membership membership, int selfId, PeerFetcher fetcher, ExecutorService worker,
                         Consumer<Fetched> deliver, Supplier<ClientMembership> clients, int pageBlocks,
                         StoredExecutions local, LongSupplier storedHeight, Limits limits, ThreadFailures failures) {
        this.failures = failures;
        this.limits = limits;
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
        this.signatures = new ReplicaSignatures(membership);
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
            } catch (Throwable e) {
                // An error (out of memory, say) ends this transfer, never the worker: the consensus
                // thread starts the next one within a second while the replica is still behind.
                failures.record(ThreadFailures.Kind.STATE_TRANSFER);
                try {
                    LOG.error("state transfer failed unexpectedly; the next one starts when the replica is still behind",
                            e);
                } catch (Throwable logging) {
                    // Out of memory even for the log line: the counter still tells.
                }
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
        Optional<StoredCheckpoint> target = bestCheckpoint(lastExecutedSequence, tipRef.clients.replicas());
        if (target.isPresent() && !toCheckpoint(target.get(), tipRef, distrusted)) {
            return;
        }
        long delivered = target.map(StoredCheckpoint::sequence).orElse(lastExecutedSequence);
        fetchTail(tipRef, Math.max(delivered, tipRef.header.sequence()), distrusted);
    }

    /** The hash a proven chain has at a height: where a stored segment must end. */
    private record Anchor(long height, Digest hash) {
    }

    /**
     * A chain one peer served up to the checkpoint and the checkpoint's digest proved: its tip, and
     * either all its blocks (they fit in the buffer) or the anchors that end each segment.
     */
    private record Proven(Tip tip, List<ExecutedBlock> blocks, List<Anchor> anchors) {
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
            Proven proven;
            try {
                proven = prove(peer, tipRef, cp);
            } catch (BadPeerException e) {
                distrust(peer, distrusted, e);
                continue;
            } catch (BehindException e) {
                // Its chain ends before the checkpoint: it may be behind, not lying. Nothing it served is kept.
                LOG.debug("state transfer: replica {} {}", peer, e.getMessage());
                continue;
            } catch (IOException e) {
                LOG.debug("state transfer: replica {} unreachable: {}", peer, e.toString());
                continue;
            }
            // Judged again by the set that ordered it as the proven chain says, which may have changed
            // since this replica's own tip: a checkpoint no quorum of that set signed proves nothing.
            ReplicaRoster.Epoch signers = proven.tip().clients.replicas().ordering(cp.sequence());
            if (!CheckpointProofs.valid(cp, signers, signatures)) {
                LOG.warn("state transfer: checkpoint {} is not signed by a quorum of epoch {}, which the chain up to it "
                        + "says ordered it; not installed", cp.sequence(), signers.number());
                return false;
            }
            if (proven.blocks() == null && !storeSegments(peer, proven.anchors(), tipRef, distrusted)) {
                break;
            }
            if (proven.blocks() != null && !proven.blocks().isEmpty()) {
                deliver.accept(new Fetched(proven.blocks(), null, List.of()));
            }
            tipRef.header = proven.tip().header;
            tipRef.clients = proven.tip().clients;
            // The height this replica reaches is the proven one, not what the serving peer claimed.
            deliver.accept(new Fetched(List.of(), new StoredCheckpoint(cp.sequence(), cp.stateDigest(),
                    tipRef.header.height(), cp.created(), cp.proof()), List.of()));
            completed.incrementAndGet();
            LOG.info("state transfer: reached checkpoint {} at height {}", cp.sequence(), tipRef.header.height());
            return true;
        }
        LOG.warn("state transfer: no peer completed the chain up to checkpoint {}; will retry", cp.sequence());
        return false;
    }

    private void distrust(int peer, Set<Integer> distrusted, BadPeerException e) {
        distrusted.add(peer);
        rejectedPeers.incrementAndGet();
        LOG.warn("state transfer: replica {} served a chain that does not verify ({}); nothing of it is kept, "
                + "asking another", peer, e.getMessage());
    }

    /**
     * Fetches and verifies {@code peer}'s chain from {@code start} up to the last block at or below the
     * checkpoint, and checks that it reproduces the checkpoint's state digest. Nothing is handed over
     * here. Blocks are kept while they fit in the buffer; beyond that only segment-end anchors are.
     */
    private Proven prove(int peer, Tip start, StoredCheckpoint cp) throws IOException, BadPeerException, BehindException {
        Tip tip = new Tip(start.header, start.clients);
        List<ExecutedBlock> segment = new ArrayList<>();
        long segmentBytes = 0;
        List<Anchor> anchors = new ArrayList<>();
        boolean pastCheckpoint = false;
        while (!pastCheckpoint) {
            List<Block> page = fetcher.blocks(peer, tip.header.height() + 1, pageBlocks);
            // A page may be cut short by the server's byte budget; only an empty one means the end.
            if (page.isEmpty()) {
                break;
            }
            for (Block block : page) {
                if (block.header().sequence() > cp.sequence()) {
                    pastCheckpoint = true;
                    break;
                }
                long bytes = estimatedBytes(block);
                if (!segment.isEmpty() && (segment.size() >= limits.bufferMaxBlocks()
                        || segmentBytes + bytes > limits.bufferMaxBytes())) {
                    // The buffer is full: keep where this segment ends, not its blocks.
                    anchors.add(new Anchor(tip.header.height(), tip.header.hash()));
                    segment.clear();
                    segmentBytes = 0;
                }
                ExecutedBlock executed = verify(tip.header, tip.clients, block);
                segment.add(executed);
                segmentBytes += bytes;
                tip.moveTo(executed);
            }
        }
        if (!CheckpointDigest.of(cp.sequence(), tip.header.hash(), tip.clients.digest()).equals(cp.stateDigest())) {
            if (pastCheckpoint || tip.header.sequence() == cp.sequence()) {
                throw new BadPeerException("its chain up to sequence " + cp.sequence() + " (height "
                        + tip.header.height() + ") does not give the checkpoint's state digest");
            }
            throw new BehindException("has no chain up to checkpoint " + cp.sequence() + " (it served up to height "
                    + tip.header.height() + ")");
        }
        if (anchors.isEmpty()) {
            return new Proven(tip, List.copyOf(segment), List.of());
        }
        anchors.add(new Anchor(tip.header.height(), tip.header.hash()));
        return new Proven(tip, null, List.copyOf(anchors));
    }

    /**
     * The second pass of a gap larger than the buffer: each segment is fetched again, from {@code first}
     * or any other trusted peer, verified, and handed over only when its last block has the proven
     * anchor's hash (so, by the hash links, every block of it is on the proven chain). False when no
     * peer could serve a segment.
     */
    private boolean storeSegments(int first, List<Anchor> anchors, Tip tipRef, Set<Integer> distrusted) {
        List<Integer> peers = new ArrayList<>();
        peers.add(first);
        for (int peer : peersInOrder()) {
            if (peer != first) {
                peers.add(peer);
            }
        }
        int turn = 0;
        for (Anchor anchor : anchors) {
            while (tipRef.header.height() < anchor.height()) {
                while (turn < peers.size() && distrusted.contains(peers.get(turn))) {
                    turn++;
                }
                if (turn == peers.size()) {
                    LOG.warn("state transfer: no peer served the proven chain up to height {}", anchor.height());
                    return false;
                }
                int peer = peers.get(turn);
                try {
                    List<ExecutedBlock> segment = segment(peer, tipRef, anchor);
                    deliver.accept(new Fetched(segment, null, List.of()));
                    ExecutedBlock last = segment.get(segment.size() - 1);
                    tipRef.moveTo(last);
                } catch (BadPeerException e) {
                    distrust(peer, distrusted, e);
                } catch (IOException e) {
                    LOG.debug("state transfer: replica {} unreachable: {}", peer, e.toString());
                    turn++;
                }
            }
        }
        return true;
    }

    /** One segment from {@code peer}: the blocks after {@code tipRef} up to {@code anchor}, proven by its hash. */
    private List<ExecutedBlock> segment(int peer, Tip tipRef, Anchor anchor) throws IOException, BadPeerException {
        Tip tip = new Tip(tipRef.header, tipRef.clients);
        List<ExecutedBlock> segment = new ArrayList<>();
        long bytes = 0;
        while (tip.header.height() < anchor.height()) {
            List<Block> page = fetcher.blocks(peer, tip.header.height() + 1, pageBlocks);
            if (page.isEmpty()) {
                throw new BadPeerException("its chain ends at height " + tip.header.height()
                        + ", before the proven height " + anchor.height());
            }
            for (Block block : page) {
                if (tip.header.height() == anchor.height()) {
                    break;
                }
                bytes += estimatedBytes(block);
                if (segment.size() >= limits.bufferMaxBlocks() || (!segment.isEmpty() && bytes > limits.bufferMaxBytes())) {
                    throw new BadPeerException("its blocks up to height " + anchor.height() + " exceed the buffer "
                            + "the proven chain's fit in");
                }
                ExecutedBlock executed = verify(tip.header, tip.clients, block);
                segment.add(executed);
                tip.moveTo(executed);
            }
        }
        if (!tip.header.hash().equals(anchor.hash())) {
            throw new BadPeerException("block " + anchor.height() + " is not the one the checkpoint proved");
        }
        return segment;
    }

    /** What a block takes in memory, roughly: its transactions' payloads and a fixed share per item. */
    private static long estimatedBytes(Block block) {
        long bytes = 512L + 160L * block.certificate().size();
        for (Transaction tx : block.transactions()) {
            bytes += tx.payload().length() + 256L;
        }
        return bytes;
    }

    /**
     * Committed blocks above the newest stable checkpoint: verified like the others, linking to the
     * proven tip, then offered to the core as certified batches, so a replica that missed the
     * agreement on them (or is alone in a view change while the others moved on) still delivers them
     * in order. The core takes a certified batch only as the next sequence it delivers, so blocks are
     * offered only while their sequences follow one another from {@code deliveredSequence}: at a gap
     * (a block left out by a lying peer, or a null request) the rest of that peer's pages are not
     * used and the next peer continues from the last block offered. A peer that has none of them (it
     * is behind too, for instance missing the same transactions after a view change) passes the turn
     * to the next.
     */
    private void fetchTail(Tip tipRef, long deliveredSequence, Set<Integer> distrusted) {
        long nextSequence = deliveredSequence + 1;
        int pages = 0;
        for (int peer : peersInOrder()) {
            if (distrusted.contains(peer)) {
                continue;
            }
            try {
                boolean served = false;
                boolean gap = false;
                while (pages < TAIL_PAGES_MAX && !gap) {
                    List<Block> blocks = fetcher.blocks(peer, tipRef.header.height() + 1, pageBlocks);
                    pages++;
                    if (blocks.isEmpty()) {
                        break;
                    }
                    Tip tip = new Tip(tipRef.header, tipRef.clients);
                    List<ExecutedBlock> verified = new ArrayList<>(blocks.size());
                    for (Block block : blocks) {
                        if (block.header().sequence() != nextSequence) {
                            gap = true;
                            LOG.debug("state transfer: replica {} serves sequence {} where {} follows; asking another",
                                    peer, block.header().sequence(), nextSequence);
                            break;
                        }
                        ExecutedBlock executed = verify(tip.header, tip.clients, block);
                        verified.add(executed);
                        tip.moveTo(executed);
                        nextSequence++;
                    }
                    if (!verified.isEmpty()) {
                        served = true;
                        deliver.accept(new Fetched(List.of(), null, verified));
                        tipRef.header = tip.header;
                        tipRef.clients = tip.clients;
                    }
                }
                if (served && !gap) {
                    return;
                }
            } catch (BadPeerException e) {
                distrust(peer, distrusted, e);
            } catch (IOException e) {
                LOG.debug("state transfer: replica {} unreachable: {}", peer, e.toString());
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

    /**
     * The highest checkpoint above {@code above} that f+1 members of the set that, as far as this
     * replica's chain tells, orders its sequence (the newest set it knows of, for a sequence beyond its
     * chain) signed: one correct replica vouches for its digest. A replica whose chain is behind
     * replica-set changes knows only an outdated set, whose full quorum a newer set's proof may not
     * hold; {@link #toCheckpoint} judges the proof strictly once the proven chain says which set
     * ordered it, before anything is installed.
     */
    private Optional<StoredCheckpoint> bestCheckpoint(long above, ReplicaRoster replicas) {
        StoredCheckpoint best = null;
        for (int peer : peersInOrder()) {
            try {
                Optional<StoredCheckpoint> cp = fetcher.latestCheckpoint(peer);
                if (cp.isPresent() && cp.get().sequence() > above
                        && CheckpointProofs.vouched(cp.get(), replicas.ordering(cp.get().sequence()), signatures)
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
        List<Integer> members = new ArrayList<>();
        for (ReplicaRoster.Epoch e : clients.get().replicas().recent()) {
            for (int id : e.ids()) {
                if (id != selfId && !members.contains(id)) {
                    members.add(id);
                }
            }
        }
        java.util.Collections.sort(members);
        List<Integer> peers = new ArrayList<>();
        int start = 0;
        while (start < members.size() && members.get(start) < selfId) {
            start++;
        }
        for (int i = 0; i < members.size(); i++) {
            peers.add(members.get((start + i) % members.size()));
        }
        return peers;
    }

    private static final class BadPeerException extends Exception {
        BadPeerException(String message) {
            super(message);
        }
    }

    /** A peer's chain that ends before the checkpoint's sequence: not proven, but not a proof of lying. */
    private static final class BehindException extends Exception {
        BehindException(String message) {
            super(message);
        }
    }
}
