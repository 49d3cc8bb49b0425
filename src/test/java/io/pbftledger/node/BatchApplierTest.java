package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the driver does with committed batches: execute once, and refuse to diverge from the stored chain. */
class BatchApplierTest {
    private final SecureRandom random = new SecureRandom();
    private final Ed25519.PrivateKey clientKey = Ed25519.PrivateKey.generate(random);
    private final InMemoryLedgerStore store = new InMemoryLedgerStore();
    private final BatchApplier applier;

    BatchApplierTest() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (9100 + i),
                    Ed25519.PrivateKey.generate(random).publicKey()));
        }
        Membership membership = new Membership("apply", replicas,
                List.of(new Membership.Client("alice", clientKey.publicKey(), EnumSet.of(Role.SUBMIT))));
        store.initialize(Genesis.of(membership));
        applier = new BatchApplier(store, new ClientRegistry(ClientMembership.genesis(membership),
                new VerifiedTransactions(100)), new PendingTransactions(100), List.of());
    }

    private Transaction tx(long nonce, String payload) {
        return Transaction.sign("apply", "alice", nonce, "k", payload, clientKey);
    }

    private static CommittedBatch batch(long view, long sequence, long timestamp, Transaction... txs) {
        List<ClientRequest> requests = new ArrayList<>();
        for (Transaction tx : txs) {
            requests.add(tx.toRequest());
        }
        return new CommittedBatch(view, sequence, timestamp, (int) (view % 4),
                BatchDigest.ofRequests(timestamp, requests), requests, List.of());
    }

    /**
     * A request ordered twice (possible in PBFT across view changes) is executed once: the second
     * block keeps it, skipped, and the value it wrote stays the later transaction's.
     */
    @Test
    void aRequestOrderedTwiceIsExecutedOnceAndDoesNotStopTheReplica() {
        Transaction first = tx(1, "{\"v\":1}");
        applier.apply(batch(0, 1, 1000, first));
        Transaction second = tx(2, "{\"v\":2}");
        Block block = applier.apply(batch(2, 3, 2000, first, second));

        assertThat(block.transactions()).containsExactly(first, second);
        assertThat(store.findByClientNonce("alice", 1)).hasValueSatisfying(r -> assertThat(r.blockHeight()).isEqualTo(1));
        assertThat(store.findByClientNonce("alice", 2)).hasValueSatisfying(r -> assertThat(r.blockHeight()).isEqualTo(2));
        assertThat(store.state("k")).hasValueSatisfying(e -> assertThat(e.value()).isEqualTo("{\"v\":2}"));
    }

    @Test
    void aBatchDeliveredAgainMustMatchTheStoredBlockAtItsSequence() {
        Transaction first = tx(1, "{\"v\":1}");
        applier.apply(batch(0, 1, 1000, first));
        assertThat(applier.alreadyStored(batch(3, 1, 1000, first)).height()).as("same batch, later view").isEqualTo(1);
        assertThatThrownBy(() -> applier.alreadyStored(batch(0, 1, 1000, tx(9, "{}"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SAFETY VIOLATION");
        assertThatThrownBy(() -> applier.alreadyStored(batch(0, 1, 1000)))
                .as("a null request where a block is").hasMessageContaining("SAFETY VIOLATION");
    }
}
