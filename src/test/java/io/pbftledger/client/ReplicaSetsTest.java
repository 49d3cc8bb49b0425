package io.pbftledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.ReplicaSignatures;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.Sha256;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.SigningDomain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client follows replica-set changes from the membership file through the old sets' boundary
 * checkpoints alone, and nothing a replica makes up (a set no quorum certified, a quorum padded with
 * new or foreign signers, a skipped or rewritten epoch) gets in. Once it knows the newest set, a
 * removed replica and a replaced key sign nothing that counts.
 */
class ReplicaSetsTest {
    private static final Membership GENESIS = ClientFixtures.membership();
    private static final SigningDomain DOMAIN = Genesis.signingDomain(GENESIS);
    private static final Ed25519.PrivateKey JOINER = ClientFixtures.key(14);
    private static final Ed25519.PrivateKey ROTATED_0 = ClientFixtures.key(15);
    private static final Ed25519.PrivateKey ATTACKER = ClientFixtures.key(66);

    /** Epoch 1 adds replica 4 from sequence 101. */
    private static final Map<Integer, Ed25519.PrivateKey> EPOCH_1 = keys(Map.of(4, JOINER), List.of());
    /** Epoch 2 rotates replica 0's key from sequence 201. */
    private static final Map<Integer, Ed25519.PrivateKey> EPOCH_2 = with(EPOCH_1, 0, ROTATED_0);
    /** Epoch 3 removes replica 1 from sequence 301. */
    private static final Map<Integer, Ed25519.PrivateKey> EPOCH_3 = without(EPOCH_2, 1);

    private static Map<Integer, Ed25519.PrivateKey> keys(Map<Integer, Ed25519.PrivateKey> added, List<Integer> removed) {
        TreeMap<Integer, Ed25519.PrivateKey> out = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            out.put(i, ClientFixtures.REPLICA_KEYS.get(i));
        }
        out.putAll(added);
        removed.forEach(out::remove);
        return out;
    }

    private static Map<Integer, Ed25519.PrivateKey> with(Map<Integer, Ed25519.PrivateKey> set, int id, Ed25519.PrivateKey key) {
        TreeMap<Integer, Ed25519.PrivateKey> out = new TreeMap<>(set);
        out.put(id, key);
        return out;
    }

    private static Map<Integer, Ed25519.PrivateKey> without(Map<Integer, Ed25519.PrivateKey> set, int id) {
        TreeMap<Integer, Ed25519.PrivateKey> out = new TreeMap<>(set);
        out.remove(id);
        return out;
    }

    private static Digest digest(String text) {
        return new Digest(Sha256.hash(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static ReplicaRoster.Epoch epoch(long number, long firstSequence, Map<Integer, Ed25519.PrivateKey> keys) {
        List<ReplicaRoster.Member> members = new ArrayList<>();
        keys.forEach((id, key) -> members.add(new ReplicaRoster.Member(id, "http://127.0.0.1:" + (9000 + id),
                key.publicKey(), 0, 0)));
        return new ReplicaRoster.Epoch(number, firstSequence, members);
    }

    /** The proof of {@code next} as the history serves it, signed by {@code signers} with {@code signingKeys}. */
    private static ObjectNode proof(ReplicaRoster.Epoch next, Map<Integer, Ed25519.PrivateKey> signingKeys,
                                    List<Integer> signers) {
        long checkpoint = next.firstSequence() - 1;
        Digest lastBlock = digest("block at " + checkpoint);
        Digest clients = digest("clients");
        Digest state = CheckpointDigest.of(checkpoint, lastBlock,
                CheckpointDigest.membership(clients, CheckpointDigest.replicas(next)));
        ObjectNode proof = ProofJson.JSON.createObjectNode();
        proof.put("epoch", next.number());
        proof.put("firstSequence", next.firstSequence());
        ArrayNode replicas = proof.putArray("replicas");
        for (ReplicaRoster.Member m : next.members()) {
            replicas.addObject().put("id", m.id()).put("url", m.url()).put("publicKey", m.publicKey().toBase64())
                    .put("sinceEpoch", 0).put("sinceHeight", 0);
        }
        proof.put("checkpoint", checkpoint);
        proof.put("stateDigest", state.hex());
        proof.put("lastBlockHash", lastBlock.hex());
        proof.put("clientsDigest", clients.hex());
        ArrayNode signatures = proof.putArray("signatures");
        for (int signer : signers) {
            byte[] signature = ReplicaSignatures.sign(DOMAIN, signingKeys.get(signer),
                    new Checkpoint(signer, checkpoint, state)).signature();
            signatures.addObject().put("replica", signer).put("signature", Base64.getEncoder().encodeToString(signature));
        }
        return proof;
    }

    private static ObjectNode history(ObjectNode... proofs) {
        ObjectNode history = ProofJson.JSON.createObjectNode();
        history.put("chainId", GENESIS.chainId());
        ArrayNode changes = history.putArray("changes");
        for (ObjectNode proof : proofs) {
            ObjectNode change = changes.addObject();
            change.put("epoch", proof.get("epoch").asLong());
            change.set("proof", proof);
        }
        return history;
    }

    private static final ObjectNode PROOF_1 = proof(epoch(1, 101, EPOCH_1), keys(Map.of(), List.of()), List.of(0, 1, 2));
    private static final ObjectNode PROOF_2 = proof(epoch(2, 201, EPOCH_2), EPOCH_1, List.of(1, 2, 3, 4));
    private static final ObjectNode PROOF_3 = proof(epoch(3, 301, EPOCH_3), EPOCH_2, List.of(0, 2, 3, 4));

    @Test
    void theOldSetsBoundaryCheckpointsProveEverySetFromTheMembershipFileOn() {
        ReplicaSets sets = ReplicaSets.genesis(GENESIS).extend(history(PROOF_1, PROOF_2, PROOF_3));

        assertThat(sets.epochs()).extracting(ReplicaRoster.Epoch::firstSequence).containsExactly(1L, 101L, 201L, 301L);
        assertThat(sets.current().ids()).containsExactly(0, 2, 3, 4);
        assertThat(sets.key(0)).contains(ROTATED_0.publicKey());
        assertThat(sets.key(1)).isEmpty();
        assertThat(sets.roster().ordering(150).ids()).containsExactly(0, 1, 2, 3, 4);
        assertThat(sets.f()).isEqualTo(1);
        // a history that repeats the known epochs, or stops at a change without proof, changes nothing
        assertThat(sets.extend(history(PROOF_1, PROOF_2))).isSameAs(sets);
        ObjectNode pending = history(PROOF_1);
        pending.withArray("changes").addObject().put("epoch", 2).putNull("proof");
        assertThat(ReplicaSets.genesis(GENESIS).extend(pending).current().number()).isEqualTo(1);
    }

    /**
     * The attack the proven sets stop: replica 1 was removed and replica 0's old key leaked. With the
     * membership file's keys alone a client counts both, f+1 = 2 "confirmations" of a location no
     * honest replica stated.
     */
    @Test
    void aRemovedReplicaAndAReplacedKeySignNothingThatCountsOnceTheNewSetIsProven() {
        Transaction tx = ClientFixtures.CLIENT.sign(7, "k", "{}");
        Digest forgedBlock = digest("a block no honest replica stored");
        ObjectNode byRemoved = ProofJson.committed(GENESIS, tx, 9, forgedBlock, 0, 1, ClientFixtures.REPLICA_KEYS.get(1));
        ObjectNode byOldKey = ProofJson.committed(GENESIS, tx, 9, forgedBlock, 0, 0, ClientFixtures.REPLICA_KEYS.get(0));
        ProofVerifier genesisOnly = new ProofVerifier(GENESIS);
        assertThat(SignedConfirmation.of(byRemoved, "", tx.txId(), GENESIS, genesisOnly).replica()).isEqualTo(1);
        assertThat(SignedConfirmation.of(byOldKey, "", tx.txId(), GENESIS, genesisOnly).replica()).isEqualTo(0);

        ProofVerifier proven = new ProofVerifier(ReplicaSets.genesis(GENESIS).extend(history(PROOF_1, PROOF_2, PROOF_3)));
        assertThatThrownBy(() -> SignedConfirmation.of(byRemoved, "", tx.txId(), GENESIS, proven))
                .isInstanceOf(VerificationException.class).hasMessageContaining("not a member of epoch 3");
        assertThatThrownBy(() -> SignedConfirmation.of(byOldKey, "", tx.txId(), GENESIS, proven))
                .isInstanceOf(VerificationException.class).hasMessageContaining("does not verify with replica 0's key");
        ObjectNode byNewKey = ProofJson.committed(GENESIS, tx, 9, forgedBlock, 0, 0, ROTATED_0);
        assertThat(SignedConfirmation.of(byNewKey, "", tx.txId(), GENESIS, proven).replica()).isEqualTo(0);
        ObjectNode byJoiner = ProofJson.committed(GENESIS, tx, 9, forgedBlock, 0, 4, JOINER);
        assertThat(SignedConfirmation.of(byJoiner, "", tx.txId(), GENESIS, proven).replica()).isEqualTo(4);
    }

    private static void assertRefused(ObjectNode history, String reason) {
        assertThatThrownBy(() -> ReplicaSets.genesis(GENESIS).extend(history))
                .isInstanceOf(VerificationException.class).hasMessageContaining(reason);
    }

    private static ObjectNode tampered(ObjectNode proof, Consumer<ObjectNode> change) {
        ObjectNode copy = proof.deepCopy();
        change.accept(copy);
        return copy;
    }

    @Test
    void aSetThatNoQuorumOfTheOldSetCertifiedIsRefused() {
        ReplicaRoster.Epoch next = epoch(1, 101, EPOCH_1);
        Map<Integer, Ed25519.PrivateKey> genesisKeys = keys(Map.of(), List.of());
        assertRefused(history(proof(next, genesisKeys, List.of(0, 1))), "signed by 2 members of epoch 0; 3 are needed");
        assertRefused(history(proof(next, genesisKeys, List.of(0, 1, 1))), "signed by 2 members");
        // the joiner's own signature does not count for the set that adds it
        assertRefused(history(proof(next, EPOCH_1, List.of(0, 1, 4))), "replica 4's signature on checkpoint 100");
        // a faulty replica signs with a key it does not hold in the old set
        assertRefused(history(proof(next, with(genesisKeys, 2, ATTACKER), List.of(0, 1, 2))),
                "replica 2's signature on checkpoint 100");
    }

    @Test
    void aCertifiedCheckpointCannotBeReusedForAnotherSet() {
        // the attacker's key in place of the joiner's: the signed digest no longer matches
        ObjectNode swapped = tampered(PROOF_1, p -> ((ObjectNode) p.withArray("replicas").get(4))
                .put("publicKey", ATTACKER.publicKey().toBase64()));
        assertRefused(history(swapped), "do not give the checkpoint's stateDigest");
        // ... and with the digest recomputed to match, the old set's signatures no longer verify
        ObjectNode redigested = tampered(swapped, p -> p.put("stateDigest", CheckpointDigest.of(100,
                Digest.fromHex(p.get("lastBlockHash").asString()), CheckpointDigest.membership(
                        Digest.fromHex(p.get("clientsDigest").asString()),
                        CheckpointDigest.replicas(epoch(1, 101, with(EPOCH_1, 4, ATTACKER))))).hex()));
        assertRefused(history(redigested), "signature on checkpoint 100 does not verify");
        assertRefused(history(tampered(PROOF_1, p -> p.put("firstSequence", 150))), "does not follow its checkpoint");
        assertRefused(history(tampered(PROOF_1, p -> p.withArray("replicas").remove(4))),
                "do not give the checkpoint's stateDigest");
    }

    @Test
    void epochsFollowEachOtherOnOneChain() {
        assertRefused(history(PROOF_2), "skips from epoch 0 to 2");
        ObjectNode otherChain = history(PROOF_1);
        otherChain.put("chainId", "another-chain");
        assertRefused(otherChain, "is of chain another-chain");
        ObjectNode mislabelled = history(PROOF_1);
        ((ObjectNode) mislabelled.withArray("changes").get(0)).put("epoch", 2);
        assertRefused(mislabelled, "carries the proof of epoch 1");
        ObjectNode negative = history(tampered(PROOF_1, p -> p.put("epoch", -1)));
        ((ObjectNode) negative.withArray("changes").get(0)).put("epoch", -1);
        assertRefused(negative, "epoch -1");
        // a second, validly signed epoch 1 (a quorum that signed two checkpoints) contradicts the known one
        ReplicaSets known = ReplicaSets.genesis(GENESIS).extend(history(PROOF_1));
        ObjectNode equivocated = proof(epoch(1, 101, keys(Map.of(5, ATTACKER), List.of())), keys(Map.of(), List.of()),
                List.of(0, 1, 2));
        assertThatThrownBy(() -> known.extend(history(equivocated)))
                .isInstanceOf(VerificationException.class).hasMessageContaining("differs from the one proven before");
    }

    /**
     * The client asks the node and every member it knows: one that answers garbage, or a history that
     * does not verify, keeps nobody from the epochs an honest one proves.
     */
    @Test
    void aReplicaAnsweringGarbageDoesNotKeepTheClientFromTheEpochsAnotherProves() throws Exception {
        ObjectNode negative = history(tampered(PROOF_1, p -> p.put("epoch", -1)));
        ((ObjectNode) negative.withArray("changes").get(0)).put("epoch", -1);
        com.sun.net.httpserver.HttpServer liar = server(negative.toString());
        com.sun.net.httpserver.HttpServer honest = server(history(PROOF_1, PROOF_2).toString());
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            String liarUrl = "http://127.0.0.1:" + liar.getAddress().getPort();
            Membership membership = ClientFixtures.membership(List.of(liarUrl,
                    "http://127.0.0.1:" + honest.getAddress().getPort(), "http://127.0.0.1:1", "http://127.0.0.1:2"));
            ReplicaSetTracker tracker = new ReplicaSetTracker(membership, new ReplicaHttp(executor, null),
                    Target.of(liarUrl, ReplicaSets.genesis(membership).current().members()), System::nanoTime);

            assertThat(tracker.refresh(java.time.Duration.ofSeconds(5))).isTrue();
            assertThat(tracker.current().current().number()).isEqualTo(2);
            assertThat(tracker.current().key(0)).contains(ROTATED_0.publicKey());
        } finally {
            executor.shutdownNow();
            liar.stop(0);
            honest.stop(0);
        }
    }

    /** A server on 127.0.0.1 answering every request with {@code json}. */
    private static com.sun.net.httpserver.HttpServer server(String json) throws java.io.IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (java.io.OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
