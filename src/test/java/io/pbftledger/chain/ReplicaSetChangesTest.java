package io.pbftledger.chain;

import static io.pbftledger.chain.ReplicaSetChain.add;
import static io.pbftledger.chain.ReplicaSetChain.remove;
import static io.pbftledger.chain.ReplicaSetChain.rotate;
import static io.pbftledger.chain.ReplicaSetChain.setUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.crypto.Ed25519;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replica-set changes as transactions: who may make them, which apply, where each takes effect, and
 * that a verifier trusting only the genesis membership judges every later block by the set of its
 * epoch, with the keys that set held.
 */
class ReplicaSetChangesTest {
    private final ReplicaSetChain chain = new ReplicaSetChain();

    private static Refusal refusal(ExecutedBlock block) {
        assertThat(block.refusals()).hasSize(1);
        return block.refusals().get(0);
    }

    @Test
    void anAddTakesEffectAfterTheFirstCheckpointAtOrAboveItsSequenceAndTheNewSetCertifiesFromThere() {
        Ed25519.PrivateKey four = chain.key(5);
        ExecutedBlock changed = chain.append(chain.op(chain.admin, add(4, ReplicaSetChain.url(4), four.publicKey())));
        assertThat(changed.refusals()).isEmpty();
        assertThat(changed.block().header().sequence()).isEqualTo(1);
        List<ReplicaRoster.Change> changes = changed.replicaChanges();
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.epoch()).isEqualTo(1);
            assertThat(c.boundary()).isEqualTo(ReplicaSetChain.K);
        });
        ReplicaRoster roster = chain.clients().replicas();
        assertThat(roster.ordering(ReplicaSetChain.K).number()).isZero();
        assertThat(roster.ordering(ReplicaSetChain.K + 1).ids()).containsExactly(0, 1, 2, 3, 4);
        assertThat(roster.latest().member(4)).hasValueSatisfying(m -> {
            assertThat(m.sinceEpoch()).isEqualTo(1);
            assertThat(m.sinceHeight()).isEqualTo(1);
        });
        chain.appendUpTo(ReplicaSetChain.K + 3);
        // Five replicas: a quorum is four, and the certificates from sequence K+1 on are epoch 1's.
        assertThat(chain.blocks().get((int) ReplicaSetChain.K).block().certificate()).hasSize(4);
        assertThat(chain.problemsFromGenesis()).isEmpty();
    }

    @Test
    void aSecondChangeIsRefusedUntilTheFirstTookEffectAndThenApplies() {
        assertThat(chain.append(chain.op(chain.admin, setUrl(3, "http://10.0.0.3:3"))).refusals()).isEmpty();
        ExecutedBlock early = chain.append(chain.op(chain.admin, setUrl(2, "https://two.example:8443")));
        assertThat(refusal(early).reason()).contains("a replica-set change is pending").contains("checkpoint 4");
        chain.appendUpTo(ReplicaSetChain.K);
        // The checkpoint block itself is still the old epoch's; the next block may change the set again.
        ExecutedBlock next = chain.append(chain.op(chain.admin, setUrl(2, "https://two.example:8443")));
        assertThat(next.refusals()).isEmpty();
        assertThat(chain.clients().replicas().latest().member(2)).hasValueSatisfying(m ->
                assertThat(m.url()).isEqualTo("https://two.example:8443"));
        assertThat(chain.problemsFromGenesis()).isEmpty();
    }

    @Test
    void twoChangesInOneBlockApplyOnlyTheFirst() {
        ExecutedBlock block = chain.append(chain.op(chain.admin, setUrl(1, "http://10.0.0.1:1")),
                chain.op(chain.admin, setUrl(2, "http://10.0.0.2:2")));
        assertThat(block.replicaChanges()).singleElement().satisfies(c -> assertThat(c.op().replicaId()).isEqualTo(1));
        assertThat(refusal(block).index()).isEqualTo(1);
    }

    @Test
    void onlyAnAdminMayChangeTheReplicaSet() {
        ExecutedBlock block = chain.append(chain.op(chain.alice, remove(1)));
        assertThat(refusal(block).kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(refusal(block).reason()).contains("admin role");
        assertThat(chain.clients().replicas().changes()).isEmpty();
    }

    @Test
    void whatCannotApplyIsRefusedWithTheReason() {
        Ed25519.PublicKey fresh = chain.key(9).publicKey();
        assertRefused(add(2, "http://10.1.1.1:1", fresh), "replica 2 is already a member");
        assertRefused(add(7, ReplicaSetChain.url(1), fresh), "is already replica 1's");
        assertRefused(add(7, "http://10.1.1.1:1", chain.key(2).publicKey()), "the key of replica 1");
        assertRefused(remove(9), "replica 9 is not a member");
        assertRefused(rotate(8, fresh), "replica 8 is not a member");
        assertRefused(rotate(0, chain.key(3).publicKey()), "the key of replica 2");
        assertRefused(setUrl(0, ReplicaSetChain.url(3)), "is already replica 3's");
        assertRefused("{\"op\":\"remove\",\"replicaId\":100}", "an integer from 0 to 99");
        assertRefused("{\"op\":\"add\",\"replicaId\":5,\"url\":\"ftp://x:1\",\"publicKey\":\"" + fresh.toBase64() + "\"}",
                "http(s) base URL");
        assertRefused("{\"op\":\"remove\",\"replicaId\":1,\"url\":\"http://a:1\"}", "unknown field 'url'");
        assertRefused("{\"op\":\"evict\",\"replicaId\":1}", "needs \"op\"");
        // Four replicas: none may be removed.
        assertRefused(remove(0), "would leave 3 replicas; at least 4 are needed");
        assertThat(chain.clients().replicas().changes()).isEmpty();
        assertThat(chain.problemsFromGenesis()).isEmpty();
    }

    private void assertRefused(String payload, String reason) {
        ExecutedBlock block = chain.append(chain.op(chain.admin, payload));
        assertThat(refusal(block).kind()).isEqualTo(ErrorKind.INVALID);
        assertThat(refusal(block).reason()).contains(reason);
    }

    @Test
    void aKeyOnceHeldIsNeverGivenAgainEvenAfterItsReplicaWasRemoved() {
        Ed25519.PrivateKey four = chain.key(5);
        chain.append(chain.op(chain.admin, add(4, ReplicaSetChain.url(4), four.publicKey())));
        chain.appendUpTo(ReplicaSetChain.K);
        chain.append(chain.op(chain.admin, remove(4)));
        chain.appendUpTo(2 * ReplicaSetChain.K);
        ExecutedBlock again = chain.append(chain.op(chain.admin, add(4, ReplicaSetChain.url(4), four.publicKey())));
        assertThat(refusal(again).reason()).contains("was the key of replica 4");
        // The id is free again, with a new key.
        ExecutedBlock readded = chain.append(chain.op(chain.admin, add(4, ReplicaSetChain.url(4), chain.key(6).publicKey())));
        assertThat(readded.refusals()).isEmpty();
        assertThat(chain.problemsFromGenesis()).isEmpty();
    }

    @Test
    void afterARotationTheOldKeyCertifiesNothingOfTheNewEpoch() {
        Ed25519.PrivateKey newZero = chain.key(20);
        chain.append(chain.op(chain.admin, rotate(0, newZero.publicKey())));
        chain.appendUpTo(ReplicaSetChain.K);
        ReplicaRoster roster = chain.clients().replicas();
        ReplicaRoster.Epoch oldSet = roster.epoch(0).orElseThrow();
        ReplicaRoster.Epoch newSet = roster.epoch(1).orElseThrow();
        assertThat(newSet.member(0)).hasValueSatisfying(m -> assertThat(m.publicKey()).isEqualTo(newZero.publicKey()));
        // Replica 0 signs sequence K+1 in epoch 1's view with its old key, as a thief of that key would.
        OrderedBatch forged = chain.batch(chain.tip(), newSet.firstView(), oldSet, List.of(chain.write("x")));
        Block block = BlockExecutor.execute(chain.tip(), chain.clients(), forged, SignatureCheck.DIRECT).block();
        assertThat(new ChainVerifier(chain.membership, ReplicaSetChain.K).verify(chain.tip(), chain.clients(), block).problem())
                .isEqualTo("certificate signature of replica 0 does not verify");
        // The honest block of that sequence verifies, as does the whole chain from the genesis.
        chain.append(chain.write("x"));
        assertThat(chain.problemsFromGenesis()).isEmpty();
    }

    @Test
    void theOldSetCannotCertifyABlockBeyondItsBoundaryEvenWithValidSignatures() {
        chain.append(chain.op(chain.admin, rotate(3, chain.key(21).publicKey())));
        chain.appendUpTo(ReplicaSetChain.K);
        ReplicaRoster.Epoch oldSet = chain.clients().replicas().epoch(0).orElseThrow();
        // Replicas 0, 1 and 2 hold the same keys in both epochs, but sign in a view of epoch 0.
        OrderedBatch stale = chain.batch(chain.tip(), 7, oldSet, List.of(chain.write("y")));
        Block block = BlockExecutor.execute(chain.tip(), chain.clients(), stale, SignatureCheck.DIRECT).block();
        assertThat(new ChainVerifier(chain.membership, ReplicaSetChain.K).verify(chain.tip(), chain.clients(), block).problem())
                .contains("but epoch 1 orders that sequence");
    }

    @Test
    void aRemovedReplicaCountsForNothingInTheNewEpoch() {
        Ed25519.PrivateKey four = chain.key(5);
        chain.append(chain.op(chain.admin, add(4, ReplicaSetChain.url(4), four.publicKey())));
        chain.appendUpTo(ReplicaSetChain.K);
        chain.append(chain.op(chain.admin, remove(0)));
        chain.appendUpTo(2 * ReplicaSetChain.K);
        ReplicaRoster roster = chain.clients().replicas();
        ReplicaRoster.Epoch withZero = roster.epoch(1).orElseThrow();
        ReplicaRoster.Epoch withoutZero = roster.epoch(2).orElseThrow();
        assertThat(withoutZero.ids()).containsExactly(1, 2, 3, 4);
        // Epoch 1's first quorum (0, 1, 2, 3) signing in epoch 2's view: replica 0 is no member there.
        OrderedBatch stale = chain.batch(chain.tip(), withoutZero.firstView(), withZero, List.of(chain.write("z")));
        Block block = BlockExecutor.execute(chain.tip(), chain.clients(), stale, SignatureCheck.DIRECT).block();
        assertThat(new ChainVerifier(chain.membership, ReplicaSetChain.K).verify(chain.tip(), chain.clients(), block).problem())
                .isEqualTo("certificate holds a COMMIT from replica 0, not a member of epoch 2");
        chain.append(chain.write("z"));
        assertThat(chain.problemsFromGenesis()).isEmpty();
    }

    @Test
    void theRosterAfterABlockIsReplayedFromItsChanges() {
        chain.append(chain.op(chain.admin, rotate(1, chain.key(30).publicKey())));
        chain.appendUpTo(ReplicaSetChain.K);
        chain.append(chain.op(chain.admin, add(4, ReplicaSetChain.url(4), chain.key(31).publicKey())));
        ReplicaRoster full = chain.clients().replicas();
        ReplicaRoster atOne = full.atHeight(1);
        assertThat(atOne.changes()).hasSize(1);
        assertThat(atOne.epochs()).hasSize(2);
        assertThat(full.atHeight(0)).isEqualTo(ReplicaRoster.genesis(chain.membership, ReplicaSetChain.K));
        // Replaying the stored payloads gives the same roster.
        ReplicaRoster replayed = ReplicaRoster.genesis(chain.membership, ReplicaSetChain.K);
        for (ReplicaRoster.Change c : full.changes()) {
            replayed = replayed.apply(ReplicaOp.parse(c.op().toJson()), c.height(), c.sequence(), c.index(), c.txId());
        }
        assertThat(replayed).isEqualTo(full);
        assertThat(full.pending(ReplicaSetChain.K + 1)).isPresent();
        assertThat(full.pending(2 * ReplicaSetChain.K)).isEmpty();
    }
}
