package io.pbftledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A proof verifies against the membership keys alone, and every kind of tampering is caught. */
class ProofVerifierTest {
    private static final Membership MEMBERSHIP = ClientFixtures.membership();
    private static final Transaction A = ClientFixtures.CLIENT.sign(1, "alpha", "{\"v\":1}");
    private static final Transaction B = ClientFixtures.CLIENT.sign(2, "beta", "[true,null,\"x\"]");
    private static final Transaction C = ClientFixtures.CLIENT.sign(3, null, "3.5");
    private static final Block BLOCK = ProofFixtures.firstBlock(MEMBERSHIP, ClientFixtures.REPLICA_KEYS, List.of(A, B, C),
            0, 2, 3);
    private final ProofVerifier verifier = new ProofVerifier(MEMBERSHIP);

    @Test
    void anIntactProofVerifiesAndNamesItsCertifiers() {
        VerifiedTransaction v = verifier.transaction(ProofJson.transactionProof(BLOCK, 1), B.txId(), "r");

        assertThat(v.transaction()).isEqualTo(B);
        assertThat(v.blockHeight()).isEqualTo(1);
        assertThat(v.blockHash()).isEqualTo(BLOCK.hash());
        assertThat(v.index()).isEqualTo(1);
        assertThat(v.certifiedBy()).containsExactly(0, 2, 3);
        assertThat(verifier.transaction(ProofJson.transactionProof(BLOCK, 2), C.txId(), "r").transaction().key()).isNull();
    }

    private void assertRejected(int index, Consumer<ObjectNode> tamper, String reason) {
        ObjectNode proof = ProofJson.transactionProof(BLOCK, index);
        tamper.accept(proof);
        Transaction expected = BLOCK.transactions().get(index);
        assertThatThrownBy(() -> verifier.transaction(proof, expected.txId(), "r"))
                .isInstanceOf(VerificationException.class).hasMessageContaining(reason);
    }

    private static ObjectNode tx(ObjectNode proof) {
        return (ObjectNode) proof.get("transaction");
    }

    private static ObjectNode block(ObjectNode proof) {
        return (ObjectNode) proof.get("block");
    }

    @Test
    void anEditedPayloadIsCaught() {
        assertRejected(0, p -> tx(p).putRawValue("payload", new tools.jackson.databind.util.RawValue("{\"v\":2}")),
                "has txId");
    }

    @Test
    void anEditedMerklePathIsCaught() {
        assertRejected(0, p -> ((ArrayNode) p.get("merklePath")).set(0, "00".repeat(32)), "Merkle path");
    }

    @Test
    void anEditedTransactionsRootIsCaughtByTheBlockHash() {
        assertRejected(0, p -> block(p).put("transactionsRoot", "00".repeat(32)), "block hash does not match");
    }

    @Test
    void aForgedHeaderWithAnotherTransactionListIsCaughtByTheCertifiedBatchDigest() {
        // A replica invents a block: its own txIds, a matching root and hash, and a real certificate.
        Transaction forged = ClientFixtures.CLIENT.sign(9, "alpha", "{\"v\":666}");
        Block fake = ProofFixtures.firstBlock(MEMBERSHIP, ClientFixtures.REPLICA_KEYS, List.of(forged, B, C), 0, 2, 3);
        ObjectNode proof = ProofJson.transactionProof(fake, 0);
        ((ObjectNode) proof.get("block")).set("certificate", ProofJson.block(BLOCK).get("certificate"));
        ((ObjectNode) proof.get("block")).put("batchDigest", BLOCK.header().batchDigest().hex());

        assertThatThrownBy(() -> verifier.transaction(proof, forged.txId(), "r")).isInstanceOf(VerificationException.class);
    }

    /**
     * A staging copy of the chain (same chain id, same client, replicas 0, 2 and 3 with the same keys,
     * replica 1 with another) commits a transaction the production chain never saw: its certificate
     * must not prove anything to a client of production.
     */
    @Test
    void aProofCertifiedByAStagingCopySharingReplicaKeysIsRefused() {
        List<Membership.Replica> replicas = new java.util.ArrayList<>(MEMBERSHIP.replicas());
        replicas.set(1, new Membership.Replica(1, replicas.get(1).url(), ClientFixtures.key(61).publicKey()));
        Membership staging = new Membership(MEMBERSHIP.chainId(), replicas, MEMBERSHIP.clients());
        Transaction onlyOnStaging = ClientFixtures.CLIENT.sign(7, "alpha", "{\"v\":7}");
        Block staged = ProofFixtures.firstBlock(staging, ClientFixtures.REPLICA_KEYS, List.of(onlyOnStaging), 0, 2, 3);

        assertThat(new ProofVerifier(staging).transaction(ProofJson.transactionProof(staged, 0), onlyOnStaging.txId(), "r")
                .certifiedBy()).containsExactly(0, 2, 3);
        assertThatThrownBy(() -> verifier.transaction(ProofJson.transactionProof(staged, 0), onlyOnStaging.txId(), "r"))
                .isInstanceOf(VerificationException.class).hasMessageContaining("signature of replica 0 does not verify");
    }

    @Test
    void aCertificateOfOnlyTwoReplicasIsNotEnough() {
        assertRejected(0, p -> ((ArrayNode) block(p).get("certificate")).remove(2), "2 distinct signers; 3 are needed");
    }

    @Test
    void aDuplicatedSignerCountsOnce() {
        assertRejected(0, p -> {
            ArrayNode certificate = (ArrayNode) block(p).get("certificate");
            certificate.set(2, certificate.get(0).deepCopy());
        }, "2 distinct signers");
    }

    @Test
    void aCertificateSignatureInAnotherReplicasNameIsCaught() {
        assertRejected(0, p -> ((ObjectNode) block(p).get("certificate").get(1)).put("replica", 1),
                "signature of replica 1 does not verify");
    }

    @Test
    void aWrongLocationBesideTheProofIsCaught() {
        assertRejected(0, p -> tx(p).put("blockHeight", 2), "location does not match");
        assertRejected(0, p -> p.put("index", 1), "do not hold this transaction at index 1");
    }

    @Test
    void aProofOfAnotherTransactionIsNotAProofOfTheAskedOne() {
        assertThatThrownBy(() -> verifier.transaction(ProofJson.transactionProof(BLOCK, 0), B.txId(), "r"))
                .isInstanceOf(VerificationException.class).hasMessageContaining("not the requested");
    }

    @Test
    void aClientSignatureThatDoesNotVerifyIsCaught() {
        byte[] other = ClientFixtures.key(51).sign(A.signingBytes());
        assertRejected(0, p -> tx(p).put("signature", Base64.getEncoder().encodeToString(other)),
                "signature does not verify with the key of client");
    }

    @Test
    void missingFieldsAreVerificationFailuresNotCrashes() {
        assertRejected(0, p -> p.remove("transactionIds"), "transactionIds");
        assertRejected(0, p -> block(p).remove("certificate"), "certificate");
        assertRejected(0, p -> tx(p).put("nonce", "one"), "nonce");
    }

    @Test
    void aStateProofBindsKeyValueWriterAndTheReplicasSignedHeight() {
        ObjectNode proof = ProofJson.stateProof(MEMBERSHIP, BLOCK, 1, 2, ClientFixtures.REPLICA_KEYS.get(2));

        VerifiedState state = verifier.state(proof, "beta", "r");
        assertThat(state.value()).isEqualTo("[true,null,\"x\"]");
        assertThat(state.answeredBy()).isEqualTo(2);
        assertThat(state.answeredAtHeight()).isEqualTo(1);

        assertThatThrownBy(() -> verifier.state(proof, "alpha", "r")).hasMessageContaining("not 'alpha'");
        ObjectNode otherValue = proof.deepCopy();
        otherValue.putRawValue("value", new tools.jackson.databind.util.RawValue("[false]"));
        assertThatThrownBy(() -> verifier.state(otherValue, "beta", "r")).hasMessageContaining("not the payload");
        ObjectNode wrongSigner = ProofJson.stateProof(MEMBERSHIP, BLOCK, 1, 2, ClientFixtures.REPLICA_KEYS.get(1));
        assertThatThrownBy(() -> verifier.state(wrongSigner, "beta", "r")).hasMessageContaining("replica 2's key");
        ObjectNode laterHeight = proof.deepCopy();
        ((ObjectNode) laterHeight.get("attestation")).put("height", 9);
        assertThatThrownBy(() -> verifier.state(laterHeight, "beta", "r")).hasMessageContaining("does not verify");
    }
}
