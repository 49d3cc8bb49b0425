package io.pbftledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A commit certificate signs (view, sequence, batchDigest) only: a replica can put a certified batch
 * under a header of its own making (another height, previous hash, state hash) and its proof still
 * verifies. Its height, block hash and outcome are its word alone, and the client must not take them
 * without f+1 matching signed statements.
 */
class LyingReplicaClientTest {
    private static final Membership KEYS_ONLY = ClientFixtures.membership();
    private static final Transaction TX = ClientFixtures.CLIENT.sign(79, "greeting", "{\"text\":\"lied about\"}");
    private static final Block BLOCK = ProofFixtures.firstBlock(KEYS_ONLY, ClientFixtures.REPLICA_KEYS, List.of(TX), 0, 1, 2);
    /** The certified batch under a made-up header: height 5 and an invented previous hash and state hash. */
    private static final Block FORGED = forged(BLOCK);
    private static final SubmitOptions PROOFS_SOON = new SubmitOptions(Duration.ofMillis(100), Duration.ofMillis(300),
            Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(50));

    private static Block forged(Block real) {
        BlockHeader h = real.header();
        byte[] invented = new byte[32];
        Arrays.fill(invented, (byte) 0x42);
        BlockHeader header = new BlockHeader(5, new Digest(invented), h.timestamp(), h.view(), h.sequence(), h.primary(),
                h.batchDigest(), h.transactionsRoot(), new Digest(invented), h.transactionCount());
        return Block.of(header, real.transactions(), real.certificate());
    }

    private static Ed25519.PrivateKey key(int replica) {
        return ClientFixtures.REPLICA_KEYS.get(replica);
    }

    private static StandInReplicas.Behaviour answering(IntFunction<StandInReplicas.Answer> answer,
                                                       IntFunction<StandInReplicas.Answer> proof) {
        return new StandInReplicas.Behaviour() {
            @Override
            public StandInReplicas.Answer submit(int call) {
                return answer.apply(call);
            }

            @Override
            public StandInReplicas.Answer status(int call) {
                return answer.apply(call);
            }

            @Override
            public StandInReplicas.Answer proof(int call) {
                return proof.apply(call);
            }
        };
    }

    /** Signs the forged location as executed and serves a proof of it that verifies. */
    private static StandInReplicas.Behaviour liar(int replica) {
        return answering(c -> StandInReplicas.Answer.json(200, ProofJson.committed(KEYS_ONLY, TX, FORGED.height(),
                        FORGED.hash(), 0, replica, key(replica))),
                c -> StandInReplicas.Answer.json(200,
                        ProofJson.executedTransactionProof(KEYS_ONLY, FORGED, 0, replica, key(replica))));
    }

    private static StandInReplicas.Behaviour honest(int replica) {
        return answering(c -> StandInReplicas.Answer.json(200, ProofJson.committed(KEYS_ONLY, TX, BLOCK.height(),
                        BLOCK.hash(), 0, replica, key(replica))),
                c -> StandInReplicas.Answer.json(200,
                        ProofJson.executedTransactionProof(KEYS_ONLY, BLOCK, 0, replica, key(replica))));
    }

    private static LedgerClient client(StandInReplicas replicas, String node) {
        return LedgerClient.builder(replicas.membership()).identity(ClientFixtures.CLIENT).node(node)
                .options(PROOFS_SOON).build();
    }

    @Test
    void theForgedProofVerifiesOnItsOwnSoOnlyOtherReplicasCanExposeIt() {
        VerifiedTransaction proven = new ProofVerifier(KEYS_ONLY).transaction(
                ProofJson.executedTransactionProof(KEYS_ONLY, FORGED, 0, 0, key(0)), TX.txId(), "replica 0");
        assertThat(proven.blockHeight()).isEqualTo(5);
        assertThat(proven.blockHash()).isNotEqualTo(BLOCK.hash());
    }

    @Test
    void oneLyingReplicasVerifiedProofDoesNotMakeTheClientBelieveItsHeightAndBlockHash() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(liar(0), null, null, null);
             LedgerClient client = client(replicas, replicas.url(0))) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("1 of the 2 matching signed confirmations needed");
        }
    }

    @Test
    void aSubmissionReportsTheLocationFPlusOneReplicasSignedNotTheLiarsProvenOne() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(liar(0), honest(1), honest(2), null);
             LedgerClient client = client(replicas, replicas.url(0))) {
            CommitConfirmation done = client.submit(TX);

            assertThat(done.blockHeight()).isEqualTo(1);
            assertThat(done.blockHash()).isEqualTo(BLOCK.hash());
            assertThat(done.confirmedBy()).containsExactly(1, 2);
            assertThat(done.disbelieved()).containsKey("replica 0");
        }
    }

    @Test
    void getTransactionFromALyingReplicaIsNotBelievedWithoutFPlusOneMatchingStatements() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(liar(0), honest(1), honest(2), null);
             LedgerClient client = client(replicas, replicas.url(0))) {
            assertThatThrownBy(() -> client.getTransaction(TX.txId().hex()))
                    .isInstanceOf(LedgerClientException.class)
                    .hasMessageContaining("height 5");
        }
    }

    @Test
    void getTransactionReturnsTheLocationOnceFPlusOneReplicasSignedIt() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(liar(0), honest(1), honest(2), null);
             LedgerClient client = client(replicas, replicas.url(1))) {
            VerifiedTransaction tx = client.getTransaction(TX.txId().hex());

            assertThat(tx.blockHeight()).isEqualTo(1);
            assertThat(tx.blockHash()).isEqualTo(BLOCK.hash());
            assertThat(tx.outcome()).isEqualTo(Outcome.EXECUTED);
        }
    }
}
