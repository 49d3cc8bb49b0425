package io.pbftledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ordered is not executed: the PBFT client reports a transaction refused at execution as REFUSED with
 * the reason once f+1 replicas signed that refusal, and counts confirmations together only when they
 * state the same outcome, so one Byzantine replica cannot turn a refusal into a success (or back).
 */
class RefusedOutcomeClientTest {
    private static final Membership KEYS_ONLY = ClientFixtures.membership();
    private static final Transaction TX = ClientFixtures.CLIENT.sign(78, "greeting", "{\"text\":\"refused\"}");
    private static final Block BLOCK = ProofFixtures.firstBlock(KEYS_ONLY, ClientFixtures.REPLICA_KEYS, List.of(TX), 0, 1, 2);
    private static final String KIND = "FORBIDDEN";
    private static final String REASON = "client 'client-0' is not a member of this ledger";
    private static final ExecutionRefusal REFUSAL = new ExecutionRefusal(KIND, REASON);
    private static final SubmitOptions FAST = new SubmitOptions(Duration.ofMillis(100), Duration.ofSeconds(30),
            Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(50));

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

    /** Signs, truthfully, that execution refused the transaction. */
    private static StandInReplicas.Behaviour refusing(int replica) {
        return answering(c -> StandInReplicas.Answer.json(200, ProofJson.committedRefused(KEYS_ONLY, TX, BLOCK.height(),
                        BLOCK.hash(), 0, replica, key(replica), KIND, REASON)),
                c -> StandInReplicas.Answer.json(200,
                        ProofJson.refusedTransactionProof(KEYS_ONLY, BLOCK, 0, replica, key(replica), KIND, REASON)));
    }

    /** Signs that the transaction took effect at the same location (a lie when the others refuse it). */
    private static StandInReplicas.Behaviour claimingExecuted(int replica) {
        return answering(c -> StandInReplicas.Answer.json(200, ProofJson.committed(KEYS_ONLY, TX, BLOCK.height(),
                        BLOCK.hash(), 0, replica, key(replica))),
                c -> StandInReplicas.Answer.json(200,
                        ProofJson.executedTransactionProof(KEYS_ONLY, BLOCK, 0, replica, key(replica))));
    }

    private static StandInReplicas.Behaviour behind() {
        return answering(c -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StandInReplicas.Answer.pending(TX.txId().hex());
        }, c -> StandInReplicas.Answer.notFound());
    }

    private static LedgerClient client(StandInReplicas replicas, SubmitOptions options) {
        return LedgerClient.builder(replicas.membership()).identity(ClientFixtures.CLIENT).options(options).build();
    }

    @Test
    void fPlusOneSignedRefusalsGiveARefusedResultWithTheReason() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(refusing(0), refusing(1), behind(), behind());
             LedgerClient client = client(replicas, FAST)) {
            CommitConfirmation done = client.submit(TX);

            assertThat(done.outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(done.refused()).isTrue();
            assertThat(done.refusal()).isEqualTo(REFUSAL);
            assertThat(done.confirmedBy()).containsExactly(0, 1);
            assertThat(done.blockHeight()).isEqualTo(1);
            assertThat(done.byProof()).isFalse();
        }
    }

    @Test
    void anExecutedAndARefusedConfirmationOfTheSameBlockDoNotCountTogether() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(claimingExecuted(0), refusing(1), behind(), behind());
             LedgerClient client = client(replicas, FAST)) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("1 of the 2 matching signed confirmations needed");
        }
        try (StandInReplicas replicas = new StandInReplicas(claimingExecuted(0), refusing(1), refusing(2), behind());
             LedgerClient client = client(replicas, FAST)) {
            CommitConfirmation done = client.submit(TX);

            assertThat(done.outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(done.confirmedBy()).containsExactly(1, 2);
            assertThat(done.disbelieved()).containsEntry("replica 0", "signed another outcome: EXECUTED");
        }
    }

    @Test
    void refusalsWithDifferentReasonsDoNotCountTogether() throws Exception {
        StandInReplicas.Behaviour otherReason = answering(c -> StandInReplicas.Answer.json(200,
                ProofJson.committedRefused(KEYS_ONLY, TX, BLOCK.height(), BLOCK.hash(), 0, 1, key(1), "INVALID",
                        "some other reason")), c -> StandInReplicas.Answer.notFound());
        try (StandInReplicas replicas = new StandInReplicas(refusing(0), otherReason, behind(), behind());
             LedgerClient client = client(replicas, FAST)) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("1 of the 2");
        }
    }

    @Test
    void aRefusalSignatureRelabelledAsExecutedIsNotBelieved() throws Exception {
        // Replica 0 signed the refusal, but the answer (edited on the way) says EXECUTED.
        ObjectNode relabelled = ProofJson.committedRefused(KEYS_ONLY, TX, BLOCK.height(), BLOCK.hash(), 0, 0, key(0),
                KIND, REASON);
        relabelled.put("outcome", "EXECUTED");
        relabelled.remove("refusal");
        StandInReplicas.Behaviour edited = answering(c -> StandInReplicas.Answer.json(200, relabelled),
                c -> StandInReplicas.Answer.notFound());
        try (StandInReplicas replicas = new StandInReplicas(edited, claimingExecuted(1), behind(), behind());
             LedgerClient client = client(replicas, FAST)) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("1 of the 2")
                    .hasMessageContaining("not believed: replica 0: the attestation's signature does not verify "
                            + "with replica 0's key for the outcome EXECUTED");
        }
    }

    @Test
    void aProofClaimingExecutedIsNotBelievedWhenASignedConfirmationOfTheBlockSaysRefused() throws Exception {
        // Only replicas 0 (a liar with a valid proof) and 1 (honest) answer; neither outcome has f+1.
        try (StandInReplicas replicas = new StandInReplicas(claimingExecuted(0), refusing(1), null, null);
             LedgerClient client = client(replicas, FAST.withProofAfter(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("proof: its outcome EXECUTED contradicts the outcome REFUSED (" + KIND + ": "
                            + REASON + ") signed by replicas [1]");
        }
    }

    @Test
    void aVerifiedProofOfARefusalAloneIsNotEnoughToReportIt() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(refusing(0), null, null, null);
             LedgerClient client = client(replicas, FAST.withProofAfter(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotConfirmedException.class)
                    .hasMessageContaining("1 of the 2 matching signed confirmations needed");
        }
    }

    @Test
    void getTransactionReportsTheSignedRefusalOfAVerifiedProof() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(refusing(0), refusing(1), null, null);
             LedgerClient client = client(replicas, FAST)) {
            VerifiedTransaction tx = client.getTransaction(TX.txId().hex());

            assertThat(tx.outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(tx.refusal()).isEqualTo(REFUSAL);
            assertThat(tx.outcomeSignedBy()).isZero();
            assertThat(tx.confirmedBy()).containsExactly(0, 1);
        }
        try (StandInReplicas replicas = new StandInReplicas(refusing(0), claimingExecuted(1), null, null);
             LedgerClient client = client(replicas, FAST)) {
            assertThatThrownBy(() -> client.getTransaction(TX.txId().hex())).isInstanceOf(VerificationException.class)
                    .hasMessageContaining("replica 1=signed height 1, block hash " + BLOCK.hash().hex()
                            + ", outcome EXECUTED");
        }
    }

    @Test
    void aProofWhoseOutcomeWasEditedAfterSigningDoesNotVerify() {
        ObjectNode proof = ProofJson.refusedTransactionProof(KEYS_ONLY, BLOCK, 0, 0, key(0), KIND, REASON);
        ObjectNode tx = (ObjectNode) proof.get("transaction");
        tx.put("outcome", "EXECUTED");
        tx.remove("refusal");

        assertThatThrownBy(() -> new ProofVerifier(KEYS_ONLY).transaction(proof, TX.txId(), "replica 0"))
                .isInstanceOf(VerificationException.class)
                .hasMessage("the attestation's signature does not verify with replica 0's key for the outcome EXECUTED");
    }

    @Test
    void anAnswerSayingRefusedWithoutItsRefusalIsNotBelieved() {
        ObjectNode proof = ProofJson.refusedTransactionProof(KEYS_ONLY, BLOCK, 0, 0, key(0), KIND, REASON);
        ((ObjectNode) proof.get("transaction")).remove("refusal");

        assertThatThrownBy(() -> new ProofVerifier(KEYS_ONLY).transaction(proof, TX.txId(), "replica 0"))
                .isInstanceOf(VerificationException.class)
                .hasMessage("the answer says REFUSED without the refusal object");
    }
}
