package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The journal and execution stages behind the consensus thread: nothing leaves before the record that
 * promises it is durable, queued Readies share one fdatasync, committed batches execute in sequence
 * order across Readies, a full queue holds its producer back, and a failing stage stops the pipeline
 * with nothing sent or executed past the failure.
 */
class PipelineStagesTest {
    private final SecureRandom random = new SecureRandom();
    private final Ed25519.PrivateKey clientKey = Ed25519.PrivateKey.generate(random);
    private final GroupRecordingStore store = new GroupRecordingStore();
    private final BatchApplier applier;
    private final GatedJournal journal = new GatedJournal();
    private final RecordingOutbox outbox = new RecordingOutbox();
    private final PipelineFailure failure = new PipelineFailure();
    private final List<Object> results = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> stages = new ArrayList<>();

    PipelineStagesTest() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (9100 + i),
                    Ed25519.PrivateKey.generate(random).publicKey()));
        }
        Membership membership = new Membership("stages", replicas,
                List.of(new Membership.Client("alice", clientKey.publicKey(), EnumSet.of(Role.SUBMIT))));
        store.initialize(Genesis.of(membership));
        registry = new ClientRegistry(ClientMembership.genesis(membership), new VerifiedTransactions(100));
        applier = new BatchApplier(store, registry, new PendingTransactions(100), List.of());
    }

    private ClientRegistry registry;

    @AfterEach
    void stop() throws Exception {
        journal.release();
        for (AutoCloseable stage : stages) {
            stage.close();
        }
    }

    private ExecutionStage execution(int queueMax) {
        CheckpointKeeper keeper = new CheckpointKeeper(new InMemoryCheckpointStore(), new JournalCompaction(),
                () -> Digest.ZERO, 10, 0);
        ExecutionStage stage = new ExecutionStage(applier, keeper, results::add, failure, queueMax);
        stages.add(stage);
        return stage;
    }

    private DurabilityStage durability(ExecutionStage execution, int queueMax) {
        DurabilityStage stage = new DurabilityStage(journal, outbox, new JournalCompaction(), execution, 1, failure,
                queueMax);
        stages.add(0, stage);
        return stage;
    }

    private static Signed<Commit> commit(long sequence) {
        return new Signed<>(new Commit(1, 0, sequence, Digest.sha256(new byte[] {(byte) sequence})), new byte[64]);
    }

    private static Signed<Prepare> prepare(long sequence) {
        return new Signed<>(new Prepare(1, 0, sequence, Digest.sha256(new byte[] {(byte) sequence})), new byte[64]);
    }

    private Transaction tx(long nonce) {
        return Transaction.sign("stages", "alice", nonce, "k" + nonce, "{\"n\":" + nonce + "}", clientKey);
    }

    private static CommittedBatch batch(long sequence, Transaction... txs) {
        List<ClientRequest> requests = new ArrayList<>();
        for (Transaction tx : txs) {
            requests.add(tx.toRequest());
        }
        long timestamp = 1_000 + sequence;
        return new CommittedBatch(0, sequence, timestamp, 0, BatchDigest.ofRequests(timestamp, requests), requests,
                List.of());
    }

    /** A Ready as the core makes one: it journals its commit for {@code sequence} and broadcasts it. */
    private static Ready ready(long sequence, CommittedBatch... committed) {
        Signed<Commit> c = commit(sequence);
        return new Ready(List.of(new Outbound(Outbound.BROADCAST, c)), List.of(c), List.of(committed), List.of());
    }

    @Test
    void noMessageLeavesAndNoBatchExecutesBeforeItsJournalRecordIsDurable() throws Exception {
        ExecutionStage execution = execution(16);
        DurabilityStage durability = durability(execution, 16);
        execution.start();
        durability.start();
        journal.hold(); // fdatasync does not return until released

        durability.put(ready(1, batch(1, tx(1))));
        waitUntil(() -> journal.appendsStarted() == 1);
        Thread.sleep(100);
        assertThat(outbox.sent()).as("sent while its record was not durable").isEmpty();
        assertThat(store.latestHeader().height()).as("executed before the commit was durable").isZero();

        journal.release();
        waitUntil(() -> store.latestHeader().height() == 1);
        assertThat(journal.durable()).containsExactly(commit(1).message());
        assertThat(outbox.sent()).containsExactly(commit(1).message());
    }

    @Test
    void readiesQueuedBehindAnFdatasyncShareTheNextOneAndLeaveInTheCoresOrder() throws Exception {
        ExecutionStage execution = execution(16);
        DurabilityStage durability = durability(execution, 64);
        execution.start();
        durability.start();
        journal.hold();
        durability.put(ready(1));
        waitUntil(() -> journal.appendsStarted() == 1);
        for (long s = 2; s <= 30; s++) {
            durability.put(ready(s));
        }
        journal.release();
        waitUntil(() -> outbox.sent().size() == 30);

        assertThat(journal.appendsStarted()).as("one for the first Ready, one for the 29 queued behind it")
                .isEqualTo(2);
        assertThat(durability.groupCommits()).isEqualTo(2);
        assertThat(durability.readiesJournaled()).isEqualTo(30);
        List<Long> sentOrder = outbox.sent().stream().map(m -> ((Commit) m).sequence()).toList();
        assertThat(sentOrder).isSorted().hasSize(30);
        assertThat(journal.durable().stream().map(m -> ((Commit) m).sequence()).toList()).isEqualTo(sentOrder);
    }

    @Test
    void committedBatchesExecuteInSequenceOrderAcrossReadiesAndReportEachSequenceOnce() throws Exception {
        ExecutionStage execution = execution(4);
        DurabilityStage durability = durability(execution, 64);
        execution.start();
        durability.start();
        // Null requests (view changes) produce no block but are executed and reported all the same.
        durability.put(ready(1, batch(1, tx(1)), batch(2)));
        durability.put(ready(3, batch(3, tx(3), tx(4))));
        for (long s = 4; s <= 12; s++) {
            durability.put(ready(s, batch(s, tx(10 + s))));
        }
        waitUntil(() -> results.size() == 12);

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(ExecutionStage.Executed.class));
        assertThat(results.stream().map(r -> ((ExecutionStage.Executed) r).sequence()).toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(store.latestHeader().height()).isEqualTo(11);
        assertThat(store.latestHeader().sequence()).isEqualTo(12);
        List<Long> sequences = new ArrayList<>();
        for (long h = 1; h <= 11; h++) {
            Block block = store.blockByHeight(h).orElseThrow();
            sequences.add(block.header().sequence());
        }
        assertThat(sequences).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(failure.get()).isNull();
    }

    /**
     * An execution stage that fell behind stores what queued up meanwhile in one database transaction,
     * and executes it exactly as block by block: a request ordered again in a later batch of the same
     * group (after a view change) is skipped because an earlier, not yet stored block of the group
     * executed it; a null request in the middle makes no block; each sequence is reported once, in
     * order, and only after its block is stored.
     */
    @Test
    void aStageThatFellBehindStoresTheQueuedBatchesInOneTransactionAndExecutesThemAsOneByOne() throws Exception {
        ExecutionStage execution = execution(16);
        execution.start();
        store.hold();
        execution.put(new ExecutionStage.Committed(List.of(batch(1, tx(1))), List.of()));
        waitUntil(store::holding);
        Transaction again = tx(2);
        execution.put(new ExecutionStage.Committed(List.of(batch(2, again), batch(3)), List.of()));
        execution.put(new ExecutionStage.Committed(List.of(batch(4, again, tx(4))), List.of()));
        execution.put(new ExecutionStage.Committed(List.of(batch(5, tx(5)), batch(6, tx(6))), List.of()));
        assertThat(results).as("nothing reported before its block is stored").isEmpty();
        store.release();
        waitUntil(() -> results.size() == 6);

        assertThat(store.groups()).as("blocks per database transaction").containsExactly(1, 4);
        assertThat(results.stream().map(r -> ((ExecutionStage.Executed) r).sequence()).toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(store.latestHeader().height()).isEqualTo(5);
        Block fourth = store.blockByHeight(3).orElseThrow();
        assertThat(fourth.header().sequence()).isEqualTo(4);
        assertThat(store.skippedInBlock(3)).as("executed by block 2 of the same group").containsExactly(0);
        assertThat(store.skippedInBlock(2)).isEmpty();
        assertThat(failure.get()).isNull();
    }

    /**
     * Empty sequences (null requests, the fill up to a replica-set change's boundary) make no block but
     * count as executed at the edge, where they decide which epoch is in force.
     */
    @Test
    void emptySequencesCountAsExecutedForTheEdgeThoughTheyMakeNoBlock() throws Exception {
        ExecutionStage execution = execution(16);
        execution.start();
        execution.put(new ExecutionStage.Committed(List.of(batch(1, tx(1)), batch(2), batch(3)), List.of()));
        waitUntil(() -> results.size() == 3);
        assertThat(store.latestHeader().sequence()).isEqualTo(1);
        assertThat(registry.executedSequence()).isEqualTo(3);
    }

    @Test
    void aFullJournalQueueHoldsTheConsensusThreadBackInsteadOfGrowing() throws Exception {
        ExecutionStage execution = execution(16);
        DurabilityStage durability = durability(execution, 2);
        execution.start();
        durability.start();
        journal.hold();
        durability.put(ready(1));
        waitUntil(() -> journal.appendsStarted() == 1);
        durability.put(ready(2));
        durability.put(ready(3));

        Thread producer = new Thread(() -> {
            try {
                durability.put(ready(4));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        producer.join(300);
        assertThat(producer.isAlive()).as("put returned although the queue was full").isTrue();
        assertThat(durability.queued()).isEqualTo(2);

        journal.release();
        producer.join(5_000);
        assertThat(producer.isAlive()).isFalse();
        waitUntil(() -> outbox.sent().size() == 4);
    }

    @Test
    void aJournalThatFailsStopsThePipelineWithNothingSentOrExecutedPastIt() throws Exception {
        ExecutionStage execution = execution(16);
        DurabilityStage durability = durability(execution, 16);
        execution.start();
        durability.start();
        journal.failOn(m -> m instanceof Commit c && c.sequence() == 2);

        durability.put(ready(1, batch(1, tx(1))));
        waitUntil(() -> store.latestHeader().height() == 1);
        durability.put(ready(2, batch(2, tx(2))));
        waitUntil(() -> failure.get() != null);
        assertThat(durability.put(ready(3, batch(3, tx(3))))).as("a stopped pipeline takes no more").isFalse();

        assertThat(failure.get().stage()).isEqualTo(ThreadFailures.Kind.JOURNAL);
        assertThat(outbox.sent()).containsExactly(commit(1).message());
        Thread.sleep(100);
        assertThat(store.latestHeader().height()).isEqualTo(1);
        assertThat(results).hasSize(1);
    }

    @Test
    void anExecutionThatFindsADifferentStoredBatchStopsThePipelineOnTheExecutionStage() throws Exception {
        ExecutionStage execution = execution(16);
        DurabilityStage durability = durability(execution, 16);
        execution.start();
        durability.start();
        durability.put(ready(1, batch(1, tx(1))));
        waitUntil(() -> results.size() == 1);
        // Sequence 1 again with another batch: two different batches committed at one sequence.
        durability.put(ready(2, batch(1, tx(9))));
        waitUntil(() -> failure.get() != null);

        assertThat(failure.get().stage()).isEqualTo(ThreadFailures.Kind.EXECUTION);
        assertThat(failure.get().error()).hasMessageContaining("SAFETY VIOLATION");
        assertThat(results).hasSize(1);
        assertThat(durability.put(ready(3))).isFalse();
    }

    @Test
    void aCompactionAskedForByTheExecutionStageRunsOnTheJournalStageBetweenAppends() throws Exception {
        JournalCompaction compaction = new JournalCompaction();
        ExecutionStage execution = execution(16);
        DurabilityStage durability = new DurabilityStage(journal, outbox, compaction, execution, 1, failure, 16);
        stages.add(0, durability);
        execution.start();
        durability.start();
        for (long s = 1; s <= 5; s++) {
            durability.put(new Ready(List.of(), List.of(prepare(s), commit(s)), List.of(), List.of()));
        }
        waitUntil(() -> journal.durable().size() == 10);

        compaction.request(3);
        waitUntil(() -> journal.durable().size() == 4);
        assertThat(journal.durable().stream().map(m -> ((io.pbftledger.pbft.message.OrderingMessage) m).sequence()))
                .containsExactly(4L, 4L, 5L, 5L);
        assertThat(journal.compactingThreads()).containsOnly("pbft-journal");
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(5);
        }
    }

    /** A journal whose fdatasync can be held (closed gate) or made to fail on a record. */
    private static final class GatedJournal implements ConsensusJournal {
        private final MemoryJournal durable = new MemoryJournal();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile Predicate<PbftMessage> failOn = m -> false;
        private final List<String> compactingThreads = Collections.synchronizedList(new ArrayList<>());
        private volatile int appendsStarted;

        void hold() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        void failOn(Predicate<PbftMessage> record) {
            failOn = record;
        }

        int appendsStarted() {
            return appendsStarted;
        }

        List<PbftMessage> durable() {
            return durable.load().stream().<PbftMessage>map(Signed::message).toList();
        }

        List<String> compactingThreads() {
            return List.copyOf(compactingThreads);
        }

        @Override
        public void append(List<Signed<? extends PbftMessage>> messages) {
            appendsStarted++;
            if (messages.stream().anyMatch(m -> failOn.test(m.message()))) {
                throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
            }
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            durable.append(messages);
        }

        @Override
        public List<Signed<? extends PbftMessage>> load() {
            return durable.load();
        }

        @Override
        public void compact(Predicate<Signed<? extends PbftMessage>> keep) {
            compactingThreads.add(Thread.currentThread().getName());
            durable.compact(keep);
        }

        @Override
        public long sizeBytes() {
            return durable.sizeBytes();
        }

        @Override
        public void close() {
        }
    }

    /** What the stage handed to the senders, in order. */
    /** Records how many blocks each database transaction stored; can hold the next write. */
    private static final class GroupRecordingStore extends InMemoryLedgerStore {
        private final List<Integer> groups = Collections.synchronizedList(new ArrayList<>());
        private volatile CountDownLatch gate;
        private volatile boolean holding;

        void hold() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        boolean holding() {
            return holding;
        }

        List<Integer> groups() {
            return List.copyOf(groups);
        }

        private void await() {
            CountDownLatch g = gate;
            if (g != null) {
                holding = true;
                try {
                    g.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                gate = null;
            }
        }

        @Override
        public void append(io.pbftledger.chain.ExecutedBlock executed) {
            await();
            groups.add(1);
            super.append(executed);
        }

        @Override
        public void appendAll(List<io.pbftledger.chain.ExecutedBlock> group) {
            await();
            groups.add(group.size());
            super.appendAll(group);
        }
    }

    private static final class RecordingOutbox implements PeerOutbox {
        private final List<PbftMessage> sent = Collections.synchronizedList(new ArrayList<>());

        List<PbftMessage> sent() {
            synchronized (sent) {
                return List.copyOf(sent);
            }
        }

        @Override
        public void send(int to, Signed<? extends PbftMessage> message) {
            sent.add(message.message());
        }

        @Override
        public void broadcast(Signed<? extends PbftMessage> message) {
            sent.add(message.message());
        }

        @Override
        public List<ConsensusInfo.PeerInfo> peers() {
            return List.of();
        }
    }
}
