package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaOp;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.Role;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * At the edge, every peer message is judged by the replica set of its epoch with the keys that set
 * holds: after a rotation the old key signs nothing of the new epoch (a thief of it gains nothing),
 * a removed replica's messages of the new epoch are refused, an added replica's are taken, and the
 * replica that rotated signs each message with the key of its epoch.
 */
class ReplicaKeysByEpochTest {
    private static final long K = 10;
    private static final Digest DIGEST = Digest.sha256(new byte[] {1});

    private final List<Ed25519.PrivateKey> keys = new ArrayList<>();
    private final Membership membership = membership();
    private final SigningDomain domain = Genesis.signingDomain(membership);
    private final Ed25519.PrivateKey newZero = key(40);
    private final Ed25519.PrivateKey four = key(41);
    /** The roster this replica's store holds: moved on by the test as blocks would. */
    private final AtomicReference<ReplicaRoster> roster =
            new AtomicReference<>(ClientMembership.genesis(membership, K).replicas());
    private final ReplicaDirectory directory = new ReplicaDirectory(roster::get);
    private final InboundVerifier verifier = new InboundVerifier(membership, directory, 3,
            new TransactionChecks(membership, new VerifiedTransactions(100)), ForkJoinPool.commonPool(), 100, 1 << 20,
            new InboundVerifier.Defences(directory.verifier(), new VerifiedMessages(1_000, 0, () -> 0L),
                    PeerBudget.unlimited(), requests -> io.pbftledger.chain.PriorExecution.NONE));

    private static Ed25519.PrivateKey key(int seed) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) seed);
        return Ed25519.PrivateKey.fromSeed(bytes);
    }

    private Membership membership() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(key(i + 1));
            replicas.add(new Membership.Replica(i, "http://10.0.0." + i + ":8080", keys.get(i).publicKey()));
        }
        return new Membership("epochs-edge", replicas, List.of(new Membership.Client("admin", key(50).publicKey(),
                EnumSet.of(Role.ADMIN))));
    }

    private <T extends PbftMessage> Signed<T> sign(Ed25519.PrivateKey key, T m) {
        return new Signed<>(m, key.sign(MessageCodec.signingBytes(domain, m)));
    }

    private void apply(ReplicaOp op, long sequence) {
        roster.set(roster.get().apply(op, sequence, sequence, 0, Digest.sha256(new byte[] {(byte) sequence})));
    }

    private String verdict(Signed<? extends PbftMessage> m) {
        return verifier.verify(m).accepted() ? "accepted" : verifier.verify(m).dropReason();
    }

    @Test
    void afterARotationTheOldKeyIsRefusedForTheNewEpochAndTheNewKeyForTheOld() {
        apply(new ReplicaOp.RotateKey(0, newZero.publicKey()), 5);
        long epochOneView = ReplicaRoster.VIEWS_PER_EPOCH;
        assertThat(verdict(sign(keys.get(0), new Prepare(0, epochOneView, 11, DIGEST)))).isEqualTo("bad_signature");
        assertThat(verdict(sign(newZero, new Prepare(0, epochOneView, 12, DIGEST)))).isEqualTo("accepted");
        assertThat(verdict(sign(newZero, new Prepare(0, 0, 5, DIGEST)))).isEqualTo("bad_signature");
        assertThat(verdict(sign(keys.get(0), new Prepare(0, 0, 6, DIGEST)))).isEqualTo("accepted");
        // The checkpoint at the boundary is the old set's; the one after it the new set's.
        assertThat(verdict(sign(keys.get(0), new Checkpoint(0, K, DIGEST)))).isEqualTo("accepted");
        assertThat(verdict(sign(keys.get(0), new Checkpoint(0, 2 * K, DIGEST)))).isEqualTo("bad_signature");
        assertThat(verdict(sign(newZero, new Checkpoint(0, 2 * K, DIGEST)))).isEqualTo("accepted");
    }

    @Test
    void aRemovedReplicaIsNoMemberOfTheNewEpochAndAnAddedOneIs() {
        apply(new ReplicaOp.Add(4, "http://10.0.0.4:8080", four.publicKey()), 3);
        long epochOne = ReplicaRoster.VIEWS_PER_EPOCH;
        assertThat(verdict(sign(four, new Commit(4, 0, 3, DIGEST)))).as("not a member of epoch 0").isEqualTo("non_member");
        assertThat(verdict(sign(four, new Commit(4, epochOne, 11, DIGEST)))).isEqualTo("accepted");
        apply(new ReplicaOp.Remove(1), K + 2);
        long epochTwo = 2 * ReplicaRoster.VIEWS_PER_EPOCH;
        assertThat(verdict(sign(keys.get(1), new Commit(1, epochTwo, 2 * K + 1, DIGEST)))).isEqualTo("non_member");
        assertThat(verdict(sign(keys.get(1), new Commit(1, epochOne, K + 3, DIGEST)))).isEqualTo("accepted");
        assertThat(verdict(sign(keys.get(1), new Commit(1, 3 * ReplicaRoster.VIEWS_PER_EPOCH, 3 * K, DIGEST))))
                .as("an epoch this replica has not executed to").isEqualTo("non_member");
        assertThat(directory.recentMembers()).containsOnlyKeys(0, 1, 2, 3, 4);
        apply(new ReplicaOp.SetUrl(2, "http://10.0.9.2:8080"), 2 * K + 5);
        assertThat(directory.recentMembers()).as("replica 1 left two epochs ago").containsOnlyKeys(0, 2, 3, 4);
        assertThat(directory.urlOf(2)).hasValue("http://10.0.9.2:8080");
    }

    @Test
    void theKeyRingSignsEachMessageWithTheKeyOfItsEpochOnceItReadTheNewKeyFile() {
        AtomicReference<Ed25519.PrivateKey> keyFile = new AtomicReference<>(keys.get(0));
        long[] executed = {0};
        ReplicaKeyRing ring = new ReplicaKeyRing(0, keys.get(0), directory, keyFile::get, () -> executed[0]);
        apply(new ReplicaOp.RotateKey(0, newZero.publicKey()), 5);
        ReplicaRoster.Change change = roster.get().changes().get(0);
        // The operator forgot to write the new key file: the ring keeps the old key and says so.
        ring.replicaSetChanged(change);
        assertThat(ring.publicKeys()).containsExactly(keys.get(0).publicKey());
        keyFile.set(newZero);
        ring.replicaSetChanged(change);
        assertThat(ring.publicKeys()).containsExactly(keys.get(0).publicKey(), newZero.publicKey());

        Checkpoint boundary = new Checkpoint(0, K, DIGEST);
        Prepare next = new Prepare(0, ReplicaRoster.VIEWS_PER_EPOCH, K + 1, DIGEST);
        assertThat(keys.get(0).publicKey().verify(MessageCodec.signingBytes(domain, boundary),
                ring.sign(boundary, MessageCodec.signingBytes(domain, boundary)))).isTrue();
        assertThat(newZero.publicKey().verify(MessageCodec.signingBytes(domain, next),
                ring.sign(next, MessageCodec.signingBytes(domain, next)))).isTrue();
        // Peer request headers: the old key until the new epoch is in force here, then the new one.
        executed[0] = K - 1;
        assertThat(ring.headerKey().publicKey()).isEqualTo(keys.get(0).publicKey());
        executed[0] = K;
        assertThat(ring.headerKey().publicKey()).isEqualTo(newZero.publicKey());
        assertThat(directory.recentKeys(0)).containsExactly(newZero.publicKey(), keys.get(0).publicKey());
    }
}
