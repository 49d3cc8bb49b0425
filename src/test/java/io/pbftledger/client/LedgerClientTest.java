package io.pbftledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The PBFT client against stand-in replicas whose answers the test scripts: it believes a commit only
 * with f+1 (= 2) matching valid signed confirmations, and never a single
 * replica's word, a forged signature or a tampered proof.
 */
class LedgerClientTest {
    private static final Membership KEYS_ONLY = ClientFixtures.membership();
    private static final Transaction TX = ClientFixtures.CLIENT.sign(77, "greeting", "{\"text\":\"hello\"}");
    private static final Block BLOCK = ProofFixtures.firstBlock(KEYS_ONLY, ClientFixtures.REPLICA_KEYS, List.of(TX), 0, 1, 2);
    private static final Digest WRONG_HASH = new Digest(new byte[32]);
    /** Short rounds: re-send after 100 ms, proofs only when a test asks for them, 2 s in all. */
    private static final SubmitOptions FAST = new SubmitOptions(Duration.ofMillis(100), Duration.ofSeconds(30),
            Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(50));

    private static StandInReplicas.Behaviour replica(IntFunction<StandInReplicas.Answer> submit,
                                                     IntFunction<StandInReplicas.Answer> status,
                                                     IntFunction<StandInReplicas.Answer> proof) {
        return new StandInReplicas.Behaviour() {
            @Override
            public StandInReplicas.Answer submit(int call) {
                return submit.apply(call);
            }

            @Override
            public StandInReplicas.Answer status(int call) {
                return status.apply(call);
            }

            @Override
            public StandInReplicas.Answer proof(int call) {
                return proof.apply(call);
            }
        };
    }

    private static StandInReplicas.Answer signedBy(int replica, Ed25519.PrivateKey key, long height, Digest hash) {
        ObjectNode body = ProofJson.committed(KEYS_ONLY, TX, height, hash, 0, replica, key);
        return StandInReplicas.Answer.json(200, body);
    }

    private static StandInReplicas.Answer truthOf(int replica) {
        return signedBy(replica, ClientFixtures.REPLICA_KEYS.get(replica), BLOCK.height(), BLOCK.hash());
    }

    private static StandInReplicas.Answer pending() {
        try {
            Thread.sleep(50);   // as a replica holding ?wait=true would, briefly
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StandInReplicas.Answer.pending(TX.txId().hex());
    }

    /** Knows the commit and signs it truthfully. */
    private static StandInReplicas.Behaviour honest(int replica) {
        return replica(c -> truthOf(replica), c -> truthOf(replica),
                c -> StandInReplicas.Answer.json(200, ProofJson.transactionProof(BLOCK, 0)));
    }

    /** Never commits the transaction. */
    private static StandInReplicas.Behaviour behind() {
        return replica(c -> pending(), c -> StandInReplicas.Answer.notFound(), c -> StandInReplicas.Answer.notFound());
    }

    private static LedgerClient client(StandInReplicas replicas, SubmitOptions options) {
        return LedgerClient.builder(replicas.membership()).identity(ClientFixtures.CLIENT).options(options).build();
    }

    @Test
    void oneReplicasSignedWordIsNotEnoughToReportACommit() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(honest(0), behind(), behind(), behind());
             LedgerClient client = client(replicas, FAST)) {
            assertThatThrownBy(() -> client.submit(TX))
                    .isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("1 of the 2 matching signed confirmations needed")
                    .satisfies(e -> assertThat(((NotConfirmedException) e).pending()).isTrue());
            assertThat(replicas.calls(1, "status")).as("the client asked the others for confirmations").isPositive();
        }
    }

    @Test
    void aCommitIsReportedOnceASecondReplicaSignsTheSameLocation() throws Exception {
        // Replica 2 needs a few more questions before it has committed too.
        StandInReplicas.Behaviour slow = replica(c -> pending(),
                c -> c < 4 ? StandInReplicas.Answer.notFound() : truthOf(2), c -> StandInReplicas.Answer.notFound());
        try (StandInReplicas replicas = new StandInReplicas(honest(0), behind(), slow, behind());
             LedgerClient client = client(replicas, FAST)) {
            CommitConfirmation done = client.submit(TX);

            assertThat(done.confirmedBy()).containsExactly(0, 2);
            assertThat(done.blockHeight()).isEqualTo(1);
            assertThat(done.blockHash()).isEqualTo(BLOCK.hash());
            assertThat(done.index()).isZero();
            assertThat(done.byProof()).isFalse();
            assertThat(replicas.calls(2, "status")).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aForgedSignatureIsNotCountedAsAConfirmation() throws Exception {
        // Replica 0 claims to speak for itself but signs with a key that is not its own.
        StandInReplicas.Behaviour forger = replica(c -> signedBy(0, ClientFixtures.key(99), 1, BLOCK.hash()),
                c -> signedBy(0, ClientFixtures.key(99), 1, BLOCK.hash()), c -> StandInReplicas.Answer.notFound());
        try (StandInReplicas replicas = new StandInReplicas(forger, honest(1), behind(), behind());
             LedgerClient client = client(replicas, FAST.withResendAfter(Duration.ofMillis(100)))) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("1 of the 2")
                    .hasMessageContaining("not believed: replica 0: the attestation's signature does not verify");
        }
        try (StandInReplicas replicas = new StandInReplicas(forger, honest(1), honest(2), behind());
             LedgerClient client = client(replicas, FAST)) {
            CommitConfirmation done = client.submit(TX);
            assertThat(done.confirmedBy()).containsExactly(1, 2);
            assertThat(done.disbelieved()).containsKey("replica 0");
        }
    }

    @Test
    void aReplicaSigningAnotherLocationIsOutvotedAndNamed() throws Exception {
        Ed25519.PrivateKey key0 = ClientFixtures.REPLICA_KEYS.get(0);
        StandInReplicas.Behaviour liar = replica(c -> signedBy(0, key0, 2, WRONG_HASH), c -> signedBy(0, key0, 2, WRONG_HASH),
                c -> StandInReplicas.Answer.notFound());
        try (StandInReplicas replicas = new StandInReplicas(liar, honest(1), behind(), honest(3));
             LedgerClient client = client(replicas, FAST)) {
            CommitConfirmation done = client.submit(TX);

            assertThat(done.blockHeight()).isEqualTo(1);
            assertThat(done.blockHash()).isEqualTo(BLOCK.hash());
            assertThat(done.confirmedBy()).containsExactly(1, 3);
            assertThat(done.disbelieved()).containsEntry("replica 0",
                    "signed another location: height 2, block hash " + WRONG_HASH.hex());
        }
    }

    @Test
    void onlyFPlusOneRefusalsEndASubmission() throws Exception {
        StandInReplicas.Answer conflict = new StandInReplicas.Answer(409,
                "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"nonce 77 was used for another transaction\"}");
        StandInReplicas.Behaviour refuses = replica(c -> conflict, c -> StandInReplicas.Answer.notFound(),
                c -> StandInReplicas.Answer.notFound());
        try (StandInReplicas replicas = new StandInReplicas(refuses, refuses, refuses, refuses);
             LedgerClient client = client(replicas, FAST)) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(RefusedException.class)
                    .hasMessage("nonce 77 was used for another transaction (HTTP 409)")
                    .satisfies(e -> assertThat(((RefusedException) e).status()).isEqualTo(409));
        }
        try (StandInReplicas replicas = new StandInReplicas(refuses, honest(1), honest(2), behind());
             LedgerClient client = client(replicas, FAST)) {
            assertThat(client.submit(TX).confirmedBy()).containsExactly(1, 2);
        }
    }

    @Test
    void aVerifiedProofAloneDoesNotConfirmACommitButIsAttachedOnceFPlusOneReplicasSign() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(honest(0), null, null, null);
             LedgerClient client = client(replicas, FAST.withProofAfter(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("1 of the 2 matching signed confirmations needed");
            assertThat(replicas.calls(0, "proof")).as("the proof was asked for").isEqualTo(1);
        }
        // Replica 2 confirms only well after the proof phase began.
        StandInReplicas.Behaviour late = replica(c -> pending(),
                c -> c < 12 ? StandInReplicas.Answer.notFound() : truthOf(2), c -> StandInReplicas.Answer.notFound());
        try (StandInReplicas replicas = new StandInReplicas(honest(0), null, late, null);
             LedgerClient client = client(replicas, FAST.withProofAfter(Duration.ofMillis(300)))) {
            CommitConfirmation done = client.submit(TX);

            assertThat(done.confirmedBy()).containsExactly(0, 2);
            assertThat(done.byProof()).as("replica 0's verified proof of the agreed block is attached").isTrue();
            assertThat(done.proof().certifiedBy()).containsExactly(0, 1, 2);
            assertThat(done.proof().confirmedBy()).containsExactly(0, 2);
            assertThat(done.blockHash()).isEqualTo(BLOCK.hash());
        }
    }

    @Test
    void aTamperedProofIsNotBelieved() throws Exception {
        ObjectNode tampered = ProofJson.transactionProof(BLOCK, 0);
        ((ObjectNode) tampered.get("block")).put("timestamp", ProofFixtures.TIMESTAMP_MS + 1);
        StandInReplicas.Behaviour cheat = replica(c -> truthOf(0), c -> truthOf(0),
                c -> StandInReplicas.Answer.json(200, tampered));
        try (StandInReplicas replicas = new StandInReplicas(cheat, null, null, null);
             LedgerClient client = client(replicas, FAST.withProofAfter(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("not believed: replica 0: proof: the block hash does not match");
            assertThat(replicas.calls(0, "proof")).isEqualTo(1);
        }
    }

    @Test
    void readsReturnOnlyWhatTheirProofsVerify() throws Exception {
        Ed25519.PrivateKey key0 = ClientFixtures.REPLICA_KEYS.get(0);
        ObjectNode stateProof = ProofJson.stateProof(KEYS_ONLY, BLOCK, 0, 0, key0);
        StandInReplicas.Behaviour reader = replica(c -> pending(), c -> truthOf(0),
                c -> StandInReplicas.Answer.json(200, c == 1 ? ProofJson.transactionProof(BLOCK, 0) : stateProof));
        try (StandInReplicas replicas = new StandInReplicas(reader, honest(1), null, null);
             LedgerClient client = client(replicas, FAST)) {
            VerifiedTransaction tx = client.getTransaction(TX.txId().hex());
            assertThat(tx.transaction()).isEqualTo(TX);
            assertThat(tx.confirmedBy()).as("the location is signed by f+1 replicas").containsExactly(0, 1);
            VerifiedState state = client.getState("greeting");
            assertThat(state.value()).isEqualTo("{\"text\":\"hello\"}");
            assertThat(state.answeredBy()).isZero();
            assertThat(state.writer().confirmedBy()).containsExactly(0, 1);
        }
        try (StandInReplicas replicas = new StandInReplicas(reader, null, null, null);
             LedgerClient client = client(replicas, FAST)) {
            assertThatThrownBy(() -> client.getTransaction(TX.txId().hex())).isInstanceOf(VerificationException.class)
                    .hasMessageContaining("are signed by 1 of the 2 replicas needed (replicas [0])");
        }
    }

    @Test
    void aTamperedReadProofThrowsAClearException() throws Exception {
        ObjectNode edited = ProofJson.transactionProof(BLOCK, 0);
        ((ObjectNode) edited.get("transaction")).putRawValue("payload",
                new tools.jackson.databind.util.RawValue("{\"text\":\"bye\"}"));
        StandInReplicas.Behaviour cheat = replica(c -> pending(), c -> StandInReplicas.Answer.notFound(),
                c -> StandInReplicas.Answer.json(200, edited));
        try (StandInReplicas replicas = new StandInReplicas(cheat, null, null, null);
             LedgerClient client = client(replicas, FAST)) {
            assertThatThrownBy(() -> client.getTransaction(TX.txId().hex()))
                    .isInstanceOf(VerificationException.class)
                    .hasMessageStartingWith("the proof from replica 0 does not verify: the proven transaction has txId");
            assertThatThrownBy(() -> client.getState("nothing-here")).isInstanceOf(VerificationException.class);
        }
    }

    @Test
    void anUnknownKeyIsARefusalWithTheReplicasDetail() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(behind(), null, null, null);
             LedgerClient client = client(replicas, FAST)) {
            assertThatThrownBy(() -> client.getState("missing")).isInstanceOf(RefusedException.class)
                    .hasMessage("not here (HTTP 404)");
        }
    }
}
