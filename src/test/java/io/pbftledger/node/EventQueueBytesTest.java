package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.core.RecoveredState;
import io.pbftledger.pbft.core.Replica;
import io.pbftledger.pbft.core.ReplicaConfig;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The consensus thread's queue is bounded in bytes, not only in events: large messages cannot fill the heap. */
class EventQueueBytesTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static ReplicaDriver driver(int queueMaxEvents, long queueMaxBytes) {
        List<Membership.Replica> replicas = new ArrayList<>();
        List<Ed25519.PrivateKey> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PrivateKey k = Ed25519.PrivateKey.generate(RANDOM);
            keys.add(k);
            replicas.add(new Membership.Replica(i, "mem://" + i, k.publicKey()));
        }
        Membership membership = new Membership("q", replicas, List.of());
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        store.initialize(Genesis.of(membership));
        ClientRegistry registry = new ClientRegistry(ClientMembership.genesis(membership), new VerifiedTransactions(10));
        PendingTransactions pending = new PendingTransactions(100, System::currentTimeMillis,
                PendingTransactions.DEFAULT_TTL_MILLIS, nanos -> { }, ClientAdmission.unlimited());
        ReplicaConfig config = ReplicaConfig.builder(1, 4)
                .checkpoints(20, 40)
                .batches(500, 8 << 20, 5)
                .timestampSkewMs(5_000)
                .retransmitIntervalMs(300)
                .build();
        Replica replica = new Replica(config, Genesis.signingDomain(membership), keys.get(1)::sign, io.pbftledger.pbft.core.MessageVerifier.CHECKED_BEFORE_STEP, (c, n) -> false, RecoveredState.fresh());
        PeerOutbox outbox = new PeerOutbox() {
            @Override
            public void send(int to, Signed<? extends PbftMessage> message) {
            }

            @Override
            public void broadcast(Signed<? extends PbftMessage> message) {
            }

            @Override
            public List<ConsensusInfo.PeerInfo> peers() {
                return List.of();
            }
        };
        MemoryJournal journal = new MemoryJournal();
        CheckpointKeeper keeper = new CheckpointKeeper(new InMemoryCheckpointStore(), new JournalCompaction(),
                () -> Digest.ZERO, 20, 0);
        // Not started: nothing leaves the queue during the test.
        return new ReplicaDriver(replica, outbox, journal, new BatchApplier(store, registry, pending, List.of()), keeper,
                System::currentTimeMillis, queueMaxEvents, queueMaxBytes, 5);
    }

    private static ClientRequest request(long nonce, int bytes) {
        return new ClientRequest("alice", nonce, Digest.sha256(new byte[] {(byte) nonce}), new byte[bytes]);
    }

    @Test
    void theEventQueueRefusesWhatWouldExceedItsByteBoundWhileEventsWouldStillFit() {
        ReplicaDriver driver = driver(1_000, 10_000);
        assertThat(driver.submit(request(1, 3_000))).isTrue();
        assertThat(driver.submit(request(2, 3_000))).isTrue();
        assertThat(driver.submit(request(3, 3_000))).isTrue();
        assertThat(driver.submit(request(4, 3_000))).as("10 000 bytes would be exceeded").isFalse();
        assertThat(driver.queuedEvents()).isEqualTo(3);
        assertThat(driver.queuedBytes()).isBetween(9_000L, 10_000L);
        assertThat(driver.submit(request(5, 100))).as("a small one still fits").isTrue();
    }

    @Test
    void oneMessageLargerThanTheBoundIsTakenIntoAnEmptyQueueOnly() {
        ReplicaDriver driver = driver(1_000, 10_000);
        assertThat(driver.submit(request(1, 50_000))).isTrue();
        assertThat(driver.submit(request(2, 50_000))).isFalse();
    }
}
