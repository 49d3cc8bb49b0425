package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test double keeps the store's contract for groups of blocks: in order, all or nothing, only a continuation. */
class InMemoryLedgerStoreTest {
    private static final String CHAIN = "in-memory-store";
    private final Ed25519.PrivateKey clientKey = Ed25519.PrivateKey.fromSeed(seed(7));
    private final InMemoryLedgerStore store = new InMemoryLedgerStore();
    private final Block genesis;

    InMemoryLedgerStoreTest() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (9300 + i),
                    Ed25519.PrivateKey.fromSeed(seed(i + 1)).publicKey()));
        }
        genesis = Genesis.of(new Membership(CHAIN, replicas, List.of()));
        store.initialize(genesis);
    }

    @Test
    void appendAllStoresTheGroupInOrder() {
        ExecutedBlock b1 = next(genesis.header(), 1);
        ExecutedBlock b2 = next(b1.block().header(), 2, 3);
        ExecutedBlock b3 = next(b2.block().header(), 4);

        store.appendAll(List.of(b1, b2, b3));

        assertThat(store.blockHashes()).containsExactly(genesis.hash(), b1.block().hash(), b2.block().hash(),
                b3.block().hash());
        assertThat(store.latestHeader()).isEqualTo(b3.block().header());
        assertThat(store.findByClientNonce("alice", 3)).hasValueSatisfying(r -> assertThat(r.blockHeight()).isEqualTo(2));
        assertThat(store.state("k").orElseThrow().blockHeight()).isEqualTo(3);
        store.appendAll(List.of());
        assertThat(store.latestHeader()).isEqualTo(b3.block().header());
    }

    @Test
    void aGroupWithARepeatedPairInTheMiddleLeavesNothing() {
        ExecutedBlock b1 = next(genesis.header(), 1);
        store.append(b1);
        ExecutedBlock b2 = next(b1.block().header(), 2);
        ExecutedBlock clash = next(b2.block().header(), 1);
        ExecutedBlock b4 = next(clash.block().header(), 4);
        ExecutedBlock inGroup = next(b2.block().header(), 2);

        assertThatThrownBy(() -> store.appendAll(List.of(b2, clash, b4))).isInstanceOfSatisfying(LedgerException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThatThrownBy(() -> store.appendAll(List.of(b2, inGroup))).isInstanceOfSatisfying(LedgerException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));

        assertThat(store.latestHeader()).isEqualTo(b1.block().header());
        assertThat(store.findByClientNonce("alice", 2)).isEmpty();
    }

    @Test
    void aGroupThatDoesNotContinueTheTipOrItselfIsRefused() {
        ExecutedBlock b1 = next(genesis.header(), 1);
        ExecutedBlock b2 = next(b1.block().header(), 2);
        ExecutedBlock b3 = next(b2.block().header(), 3);
        ExecutedBlock fork1 = next(genesis.header(), 9);
        ExecutedBlock fork2 = next(fork1.block().header(), 10);

        assertThatThrownBy(() -> store.appendAll(List.of(b2, b3))).isInstanceOf(IllegalStateException.class)
                .hasMessage("block 2 cannot follow stored block 0; only 1 can");
        assertThatThrownBy(() -> store.appendAll(List.of(b1, b3))).isInstanceOf(IllegalStateException.class)
                .hasMessage("block 3 cannot follow block 1, the one before it in the group; only 2 can");
        assertThatThrownBy(() -> store.appendAll(List.of(b1, fork2))).isInstanceOf(IllegalStateException.class)
                .hasMessage("block 2 does not link to block 1, the one before it in the group");
        assertThatThrownBy(() -> store.appendAll(Collections.nCopies(BlockStore.APPEND_ALL_MAX_BLOCKS + 1, b1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.latestHeader()).isEqualTo(genesis.header());
    }

    /** The block that executes alice's transactions with {@code nonces}, each writing key k, on top of {@code previous}. */
    private ExecutedBlock next(BlockHeader previous, long... nonces) {
        List<ClientRequest> requests = new ArrayList<>();
        for (long nonce : nonces) {
            requests.add(Transaction.sign(CHAIN, "alice", nonce, "k", "{\"n\":" + nonce + "}", clientKey).toRequest());
        }
        long sequence = previous.sequence() + 1;
        long timestamp = 1_000 * sequence + nonces.length;
        return BlockExecutor.execute(previous, new OrderedBatch(0, sequence, timestamp, 0,
                BatchDigest.ofRequests(timestamp, requests), requests, List.of()));
    }

    private static byte[] seed(int value) {
        byte[] seed = new byte[Ed25519.KEY_BYTES];
        Arrays.fill(seed, (byte) value);
        return seed;
    }
}
