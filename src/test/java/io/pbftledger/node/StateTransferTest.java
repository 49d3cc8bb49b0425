package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** State transfer trusts no single peer: everything it hands on is verified, and a lying peer is skipped. */
class StateTransferTest {
    private static final int CHECKPOINT = 20;
    private static final int TIP = 25;

    private final SecureRandom random = new SecureRandom();
    private final List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
    private Ed25519.PrivateKey clientKey;
    private Membership membership;
    private Block genesis;
    private final List<Block> chain = new ArrayList<>();
    private StoredCheckpoint checkpoint;
    private final List<StateTransfer.Fetched> delivered = new CopyOnWriteArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @BeforeEach
    void chainOfTwentyFiveBlocksWithACheckpointAtTwenty() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PrivateKey k = Ed25519.PrivateKey.generate(random);
            replicaKeys.add(k);
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (9000 + i), k.publicKey()));
        }
        clientKey = Ed25519.PrivateKey.generate(random);
        membership = new Membership("transfer", replicas,
                List.of(new Membership.Client("alice", clientKey.publicKey(), EnumSet.of(Role.SUBMIT))));
        genesis = Genesis.of(membership);
        BlockHeader previous = genesis.header();
        for (long seq = 1; seq <= TIP; seq++) {
            Transaction tx = Transaction.sign("transfer", "alice", seq, "k", "{\"seq\":" + seq + "}", clientKey);
            Digest digest = BatchDigest.of(1000 + seq, List.of(tx.requestId()));
            List<Signed<Commit>> cert = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                Commit c = new Commit(r, 0, seq, digest);
                cert.add(new Signed<>(c, replicaKeys.get(r).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), c))));
            }
            Block block = BlockExecutor.execute(previous, new OrderedBatch(0, seq, 1000 + seq, 0, digest,
                    List.of(tx.toRequest()), cert)).block();
            chain.add(block);
            previous = block.header();
        }
        Digest state = CheckpointDigest.of(CHECKPOINT, chain.get(CHECKPOINT - 1).hash(), ClientMembership.genesis(membership).digest());
        List<Signed<Checkpoint>> proof = new ArrayList<>();
        for (int r = 1; r < 4; r++) {
            Checkpoint c = new Checkpoint(r, CHECKPOINT, state);
            proof.add(new Signed<>(c, replicaKeys.get(r).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), c))));
        }
        checkpoint = new StoredCheckpoint(CHECKPOINT, state, CHECKPOINT, Instant.now(), proof);
    }

    @AfterEach
    void stopWorker() {
        worker.shutdownNow();
    }

    /** A peer serving the honest chain, a forged one, or nothing. */
    private final class FakePeers implements PeerFetcher {
        final Map<Integer, List<Block>> chains = new HashMap<>();
        final Map<Integer, StoredCheckpoint> checkpoints = new HashMap<>();

        @Override
        public List<Block> blocks(int peer, long fromHeight, int limit) throws IOException {
            List<Block> served = chains.get(peer);
            if (served == null) {
                throw new IOException("replica " + peer + " is down");
            }
            List<Block> page = new ArrayList<>();
            for (Block b : served) {
                if (b.height() >= fromHeight && page.size() < limit) {
                    page.add(b);
                }
            }
            return page;
        }

        @Override
        public Optional<StoredCheckpoint> latestCheckpoint(int peer) throws IOException {
            if (!chains.containsKey(peer)) {
                throw new IOException("replica " + peer + " is down");
            }
            return Optional.ofNullable(checkpoints.get(peer));
        }
    }

    private StateTransfer transfer(PeerFetcher peers) {
        ClientMembership clients = ClientMembership.genesis(membership);
        return new StateTransfer(membership, 0, peers, worker, delivered::add, () -> clients, 7);
    }

    private void runToEnd(StateTransfer transfer) throws Exception {
        assertThat(transfer.start(genesis.header(), 0)).isTrue();
        worker.submit(() -> { }).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 100 && transfer.running(); i++) {
            Thread.sleep(10);
        }
    }

    private List<Long> heights(boolean certified) {
        List<Long> out = new ArrayList<>();
        for (StateTransfer.Fetched f : delivered) {
            for (ExecutedBlock b : certified ? f.certified() : f.blocks()) {
                out.add(b.block().height());
            }
        }
        return out;
    }

    private Block forged(Block honest) {
        Transaction original = honest.transactions().get(0);
        Transaction changed = Transaction.sign("transfer", "alice", original.nonce(), "k", "{\"stolen\":true}", clientKey);
        return new Block(honest.header(), honest.hash(), List.of(changed), honest.certificate());
    }

    /**
     * What a lying peer serves: the honest chain with the block at {@code omittedHeight} left out and
     * every later block renumbered one height down and re-executed, so its hashes are recomputed. Every
     * block still verifies on its own (sequences may skip, as after a null request).
     */
    private List<Block> withBlockLeftOut(long omittedHeight) {
        List<Block> lying = new ArrayList<>(chain.subList(0, (int) omittedHeight - 1));
        BlockHeader previous = lying.isEmpty() ? genesis.header() : lying.get(lying.size() - 1).header();
        for (Block honest : chain.subList((int) omittedHeight, chain.size())) {
            BlockHeader h = honest.header();
            List<ClientRequest> requests = new ArrayList<>();
            for (Transaction tx : honest.transactions()) {
                requests.add(tx.toRequest());
            }
            Block renumbered = BlockExecutor.execute(previous, new OrderedBatch(h.view(), h.sequence(), h.timestamp(),
                    h.primary(), h.batchDigest(), requests, honest.certificate())).block();
            lying.add(renumbered);
            previous = renumbered.header();
        }
        return lying;
    }

    private void assertEveryHandedOverBlockIsHonest() {
        for (StateTransfer.Fetched f : delivered) {
            for (ExecutedBlock b : f.blocks()) {
                assertThat(b.block().hash()).as("stored block %d", b.block().height())
                        .isEqualTo(chain.get((int) b.block().height() - 1).hash());
            }
            for (ExecutedBlock b : f.certified()) {
                assertThat(b.block().hash()).as("certified block %d", b.block().height())
                        .isEqualTo(chain.get((int) b.block().height() - 1).hash());
            }
        }
    }

    @Test
    void aFirstPeerThatLeavesOutABlockAndRenumbersTheRestGetsNothingStoredAndTheOthersCompleteTheTransfer()
            throws Exception {
        FakePeers peers = new FakePeers();
        peers.chains.put(1, withBlockLeftOut(10)); // asked first by replica 0
        peers.checkpoints.put(1, checkpoint);
        peers.chains.put(2, chain);
        peers.checkpoints.put(2, checkpoint);
        peers.chains.put(3, chain);
        peers.checkpoints.put(3, checkpoint);

        StateTransfer transfer = transfer(peers);
        runToEnd(transfer);

        assertEveryHandedOverBlockIsHonest();
        assertThat(heights(false)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, CHECKPOINT).boxed().toList());
        assertThat(transfer.completedTransfers()).isEqualTo(1);
        assertThat(transfer.rejectedPeers()).as("only the liar is blamed").isEqualTo(1);
        assertThat(delivered).filteredOn(f -> f.checkpoint() != null).singleElement()
                .satisfies(f -> assertThat(f.checkpoint().blockHeight()).isEqualTo(CHECKPOINT));
        assertThat(heights(true)).isEqualTo(java.util.stream.LongStream.rangeClosed(CHECKPOINT + 1, TIP).boxed().toList());
    }

    @Test
    void anErrorInATransferIsCountedAndTheNextTransferRunsOnTheSameWorker() throws Exception {
        FakePeers honest = new FakePeers();
        for (int r = 1; r <= 3; r++) {
            honest.chains.put(r, chain);
            honest.checkpoints.put(r, checkpoint);
        }
        AtomicInteger errorsLeft = new AtomicInteger(1);
        PeerFetcher outOfMemoryOnce = new PeerFetcher() {
            @Override
            public List<Block> blocks(int peer, long fromHeight, int limit) throws IOException {
                return honest.blocks(peer, fromHeight, limit);
            }

            @Override
            public Optional<StoredCheckpoint> latestCheckpoint(int peer) throws IOException {
                if (errorsLeft.getAndDecrement() > 0) {
                    throw new OutOfMemoryError("Java heap space (thrown by the test)");
                }
                return honest.latestCheckpoint(peer);
            }
        };
        ThreadFailures failures = new ThreadFailures();
        ClientMembership clients = ClientMembership.genesis(membership);
        StateTransfer transfer = new StateTransfer(membership, 0, outOfMemoryOnce, worker, delivered::add, () -> clients, 7,
                StateTransfer.StoredExecutions.NONE, () -> 0L, StateTransfer.Limits.DEFAULT, failures);

        runToEnd(transfer);
        assertThat(failures.count(ThreadFailures.Kind.STATE_TRANSFER)).isEqualTo(1);
        assertThat(transfer.running()).as("the failed transfer is over").isFalse();
        runToEnd(transfer);

        assertThat(transfer.completedTransfers()).as("the next transfer ran").isEqualTo(1);
        assertThat(heights(false)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, CHECKPOINT).boxed().toList());
    }

    @Test
    void aGapLargerThanTheProofBufferIsStoredOnlyInSegmentsThatLinkToTheProvenChain() throws Exception {
        FakePeers peers = new FakePeers();
        peers.chains.put(1, chain);
        peers.checkpoints.put(1, checkpoint);
        peers.chains.put(2, withBlockLeftOut(3));
        peers.chains.put(3, chain);
        // The liar is asked in the second pass: the first peer goes down once it proved the chain.
        PeerFetcher downAfterProof = new PeerFetcher() {
            int pagesFromOne;

            @Override
            public List<Block> blocks(int peer, long fromHeight, int limit) throws IOException {
                if (peer == 1 && fromHeight == 1 && ++pagesFromOne > 1) {
                    throw new IOException("replica 1 is down");
                }
                return peers.blocks(peer, fromHeight, limit);
            }

            @Override
            public Optional<StoredCheckpoint> latestCheckpoint(int peer) throws IOException {
                return peers.latestCheckpoint(peer);
            }
        };
        ClientMembership clients = ClientMembership.genesis(membership);
        StateTransfer transfer = new StateTransfer(membership, 0, downAfterProof, worker, delivered::add, () -> clients, 7,
                StateTransfer.StoredExecutions.NONE, () -> 0L, new StateTransfer.Limits(6, 1L << 20));
        runToEnd(transfer);

        assertThat(transfer.completedTransfers()).isEqualTo(1);
        assertEveryHandedOverBlockIsHonest();
        assertThat(heights(false)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, CHECKPOINT).boxed().toList());
        assertThat(delivered).allSatisfy(f -> assertThat(f.blocks().size()).isLessThanOrEqualTo(6));
        assertThat(transfer.rejectedPeers()).as("the liar is caught at the first segment's end").isEqualTo(1);
    }

    @Test
    void aPeerThatLeavesOutACommittedBlockAboveTheCheckpointCannotStopTheTailAtItsGap() throws Exception {
        FakePeers peers = new FakePeers();
        peers.chains.put(1, withBlockLeftOut(CHECKPOINT + 2));
        peers.checkpoints.put(1, checkpoint);
        peers.chains.put(2, chain);
        peers.checkpoints.put(2, checkpoint);

        StateTransfer transfer = transfer(peers);
        runToEnd(transfer);

        assertEveryHandedOverBlockIsHonest();
        assertThat(heights(true)).as("the core gets every committed batch above the checkpoint, in order")
                .isEqualTo(java.util.stream.LongStream.rangeClosed(CHECKPOINT + 1, TIP).boxed().toList());
    }

    @Test
    void blocksTheConsensusThreadStoresWhileATransferRunsDoNotCountAsExecutedBeforeTheBlockBeingVerified()
            throws Exception {
        FakePeers peers = new FakePeers();
        for (int r = 1; r < 4; r++) {
            peers.chains.put(r, chain);
            peers.checkpoints.put(r, checkpoint);
        }
        // The transfer starts at genesis, but meanwhile the consensus thread stored the whole chain itself:
        // block k holds alice's nonce k. Only blocks below the one verified executed before it.
        ClientMembership clients = ClientMembership.genesis(membership);
        StateTransfer transfer = new StateTransfer(membership, 0, peers, worker, delivered::add, () -> clients, 7,
                (clientId, nonce, height) -> clientId.equals("alice") && nonce <= height, () -> TIP);
        runToEnd(transfer);

        assertThat(transfer.rejectedPeers()).as("no honest peer is blamed").isZero();
        assertThat(transfer.completedTransfers()).isEqualTo(1);
        assertThat(heights(false)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, CHECKPOINT).boxed().toList());
    }

    @Test
    void aPeerServingAForgedBlockIsDetectedAndTheNextPeerCompletesTheTransfer() throws Exception {
        FakePeers peers = new FakePeers();
        List<Block> lying = new ArrayList<>(chain);
        lying.set(4, forged(chain.get(4)));
        peers.chains.put(1, lying);
        peers.checkpoints.put(1, checkpoint);
        peers.chains.put(2, chain);
        peers.checkpoints.put(2, checkpoint);
        // replica 3 is down
        StateTransfer transfer = transfer(peers);
        runToEnd(transfer);

        assertThat(transfer.rejectedPeers()).isEqualTo(1);
        assertThat(transfer.completedTransfers()).isEqualTo(1);
        List<Long> stored = heights(false);
        assertThat(stored).isEqualTo(java.util.stream.LongStream.rangeClosed(1, CHECKPOINT).boxed().toList());
        for (StateTransfer.Fetched f : delivered) {
            for (ExecutedBlock b : f.blocks()) {
                assertThat(b.block().hash()).isEqualTo(chain.get((int) b.block().height() - 1).hash());
            }
        }
        assertThat(delivered).filteredOn(f -> f.checkpoint() != null).singleElement()
                .satisfies(f -> assertThat(f.checkpoint().sequence()).isEqualTo(CHECKPOINT));
        assertThat(heights(true)).as("blocks beyond the checkpoint go to the core as certified batches")
                .isEqualTo(java.util.stream.LongStream.rangeClosed(CHECKPOINT + 1, TIP).boxed().toList());
    }

    @Test
    void aCheckpointWhoseProofLacksAQuorumIsIgnored() throws Exception {
        FakePeers peers = new FakePeers();
        StoredCheckpoint weak = new StoredCheckpoint(CHECKPOINT, checkpoint.stateDigest(), CHECKPOINT, Instant.now(),
                checkpoint.proof().subList(0, 2));
        peers.chains.put(1, chain);
        peers.checkpoints.put(1, weak);
        StateTransfer transfer = transfer(peers);
        runToEnd(transfer);
        assertThat(delivered).noneMatch(f -> f.checkpoint() != null);
        assertThat(heights(false)).isEmpty();
    }

    @Test
    void aPeerThatLeavesOutABlockCannotPassTheCheckpointDigest() throws Exception {
        FakePeers peers = new FakePeers();
        List<Block> shortChain = new ArrayList<>(chain.subList(0, CHECKPOINT - 1)); // stops at 19
        peers.chains.put(1, shortChain);
        peers.checkpoints.put(1, checkpoint);
        StateTransfer transfer = transfer(peers);
        runToEnd(transfer);
        assertThat(delivered).noneMatch(f -> f.checkpoint() != null);
        assertThat(transfer.completedTransfers()).isZero();
        assertThat(heights(false)).as("nothing unproven is stored").isEmpty();
    }

    /**
     * With no newer checkpoint, only the committed tail is fetched. The first peer in turn may lack
     * it too (for instance it is missing the same transactions after a view change): the next one
     * is asked.
     */
    @Test
    void aPeerWithoutTheMissingBlocksPassesTheTurnToTheNext() throws Exception {
        FakePeers peers = new FakePeers();
        peers.chains.put(1, List.of());
        peers.chains.put(2, chain.subList(0, 3));
        peers.chains.put(3, chain.subList(0, 3));

        runToEnd(transfer(peers));

        assertThat(heights(false)).isEmpty();
        assertThat(heights(true)).containsExactly(1L, 2L, 3L);
    }
}
