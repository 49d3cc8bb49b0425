package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaSignatures;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.Status;
import io.pbftledger.pbft.message.ViewChange;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Batch bodies travel unsigned by replicas inside VIEW-CHANGE and NEW-VIEW: each must be the transaction its id names. */
class InboundVerifierTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<Ed25519.PrivateKey> REPLICAS = new ArrayList<>();
    private static final Ed25519.PrivateKey CLIENT = Ed25519.PrivateKey.generate(RANDOM);
    private static final Membership MEMBERSHIP = membership();
    private final InboundVerifier verifier = new InboundVerifier(MEMBERSHIP, 0,
            new TransactionChecks(MEMBERSHIP, new VerifiedTransactions(100)), ForkJoinPool.commonPool(), 100, 1 << 20);

    private static Membership membership() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PrivateKey k = Ed25519.PrivateKey.generate(RANDOM);
            REPLICAS.add(k);
            replicas.add(new Membership.Replica(i, "http://r" + i, k.publicKey()));
        }
        return new Membership("iv", replicas, List.of(new Membership.Client("alice", CLIENT.publicKey(), EnumSet.of(Role.SUBMIT))));
    }

    private static <T extends PbftMessage> Signed<T> sign(int replica, T m) {
        return signFor(MEMBERSHIP, replica, m);
    }

    private static ClientRequest request(Transaction tx) {
        return tx.toRequest();
    }

    /** The request with the id of {@code named} but the body of {@code body}: what a faulty replica could substitute. */
    private static ClientRequest substituted(Transaction named, Transaction body) {
        return new ClientRequest(named.clientId(), named.nonce(), named.requestId(), body.wireBytes());
    }

    private static Signed<ViewChange> viewChange(int from, ClientRequest r) {
        Digest d = BatchDigest.ofRequests(50, List.of(r));
        Signed<PrePrepare> pp = sign(0, new PrePrepare(0, 0, 1, 50, d, List.of(r)));
        Digest state = Digest.sha256(new byte[] {1});
        return sign(from, new ViewChange(from, 1, 0, List.<Signed<Checkpoint>>of(),
                List.of(new PreparedProof(pp, List.of(sign(2, new Prepare(2, 0, 1, d)), sign(3, new Prepare(3, 0, 1, d)))))));
    }

    private static Signed<NewView> newView(Signed<ViewChange> vc, ClientRequest r) {
        Digest d = BatchDigest.ofRequests(50, List.of(r));
        return sign(1, new NewView(1, 1, List.of(vc), List.of(sign(1, new PrePrepare(1, 1, 1, 50, d, List.of(r))))));
    }

    /**
     * A staging copy of this chain: the same chain id, replica 1 runs with the same key, the others
     * with their own. Its replica 1 signs PREPAREs, COMMITs and CHECKPOINTs for staging's chain.
     */
    private static Membership stagingSharingKeyOfReplica1() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PublicKey key = i == 1 ? REPLICAS.get(1).publicKey() : Ed25519.PrivateKey.generate(RANDOM).publicKey();
            replicas.add(new Membership.Replica(i, "http://staging" + i, key));
        }
        return new Membership("iv", replicas, MEMBERSHIP.clients());
    }

    /** Signed by replica {@code replica}'s key, as a replica of {@code chain} signs. */
    private static <T extends PbftMessage> Signed<T> signFor(Membership chain, int replica, T m) {
        return ReplicaSignatures.sign(Genesis.signingDomain(chain), REPLICAS.get(replica), m);
    }

    @Test
    void votesSignedForAnotherChainWithASharedReplicaKeyAreRefused() {
        Membership staging = stagingSharingKeyOfReplica1();
        Digest d = Digest.sha256(new byte[] {7});
        List<PbftMessage> votes = List.of(new Prepare(1, 0, 1, d), new Commit(1, 0, 1, d),
                new Checkpoint(1, 10, d), new Status(1, 0, 5));
        for (PbftMessage vote : votes) {
            assertThat(verifier.reject(signFor(MEMBERSHIP, 1, vote))).as("own chain: %s", vote).isEmpty();
            assertThat(verifier.reject(signFor(staging, 1, vote))).as("staging's %s", vote).contains("bad_signature");
        }
    }

    @Test
    void genuineViewChangesAndNewViewsPass() {
        ClientRequest r = request(Transaction.sign("iv", "alice", 1, null, "1", CLIENT));
        Signed<ViewChange> vc = viewChange(2, r);
        assertThat(verifier.reject(vc)).isEmpty();
        assertThat(verifier.reject(newView(vc, r))).isEmpty();
    }

    @Test
    void aViewChangeCarryingAnotherTransactionUnderAnAgreedIdIsDropped() {
        Transaction agreed = Transaction.sign("iv", "alice", 1, null, "1", CLIENT);
        Transaction other = Transaction.sign("iv", "alice", 1, null, "2", CLIENT);
        assertThat(verifier.reject(viewChange(2, substituted(agreed, other)))).isEqualTo(Optional.of("invalid_request"));
    }

    @Test
    void aNewViewWhoseReProposedBatchCarriesASubstitutedBodyIsDropped() {
        Transaction agreed = Transaction.sign("iv", "alice", 1, null, "1", CLIENT);
        Transaction other = Transaction.sign("iv", "alice", 1, null, "2", CLIENT);
        Signed<ViewChange> vc = viewChange(2, request(agreed));
        assertThat(verifier.reject(newView(vc, substituted(agreed, other)))).isEqualTo(Optional.of("invalid_request"));
        // And with the substitution hidden in V instead of O.
        assertThat(verifier.reject(newView(viewChange(3, substituted(agreed, other)), request(agreed))))
                .isEqualTo(Optional.of("invalid_request"));
    }

    /** Replicas send view changes with references (ids, no transactions): those pass, as long as the hints look like client ids. */
    @Test
    void referencesPassInsideViewChangesAndNewViewsOnly() {
        ClientRequest r = request(Transaction.sign("iv", "alice", 1, null, "1", CLIENT));
        Signed<ViewChange> vc = viewChange(2, r.reference());
        assertThat(verifier.reject(vc)).isEmpty();
        assertThat(verifier.reject(newView(vc, r.reference()))).isEmpty();

        Digest d = BatchDigest.ofRequests(50, List.of(r));
        assertThat(verifier.reject(sign(1, new PrePrepare(1, 0, 1, 50, d, List.of(r.reference())))))
                .as("a PRE-PREPARE must carry its transactions").isEqualTo(Optional.of("invalid_request"));

        ClientRequest longHint = new ClientRequest("a".repeat(65), 1, r.id(), new byte[0]);
        assertThat(verifier.reject(viewChange(2, longHint)))
                .as("a hint longer than any client id").isEqualTo(Optional.of("invalid_request"));
    }

    /** Signature checks by thread, and the replica clock of the replay window. */
    private final List<String> checkThreads = java.util.Collections.synchronizedList(new ArrayList<>());
    private final long[] nowMs = {1_000_000};
    private final long[] nowNanos = {1_000_000_000L};
    private final SenderVerifier counting = (message, bytes, signature) -> {
        checkThreads.add(Thread.currentThread().getName());
        return InboundVerifier.membershipKeys(MEMBERSHIP).verify(message, bytes, signature);
    };

    private InboundVerifier defended(PeerBudget budget, java.util.function.Function<List<ClientRequest>,
            io.pbftledger.chain.PriorExecution> executed) {
        return new InboundVerifier(MEMBERSHIP, 0, new TransactionChecks(MEMBERSHIP, new VerifiedTransactions(100)),
                ForkJoinPool.commonPool(), 100, 1 << 20, new InboundVerifier.Defences(counting,
                        new VerifiedMessages(1_000, 500, () -> nowMs[0]), budget, executed));
    }

    private InboundVerifier defended() {
        return defended(PeerBudget.unlimited(), requests -> io.pbftledger.chain.PriorExecution.NONE);
    }

    @Test
    void aViewChangeWhoseNestedPrepareSignatureIsForgedIsDroppedBeforeTheCore() {
        ClientRequest r = request(Transaction.sign("iv", "alice", 1, null, "1", CLIENT)).reference();
        Digest d = BatchDigest.ofRequests(50, List.of(r));
        Signed<PrePrepare> pp = sign(0, new PrePrepare(0, 0, 1, 50, d, List.of(r)));
        Prepare p3 = new Prepare(3, 0, 1, d);
        // Replica 2 signs replica 3's PREPARE: a prepared certificate it could not have.
        Signed<Prepare> forged = new Signed<>(p3, REPLICAS.get(2).sign(MessageCodec.signingBytes(Genesis.signingDomain(MEMBERSHIP), p3)));
        Signed<ViewChange> vc = sign(2, new ViewChange(2, 1, 0, List.<Signed<Checkpoint>>of(),
                List.of(new PreparedProof(pp, List.of(sign(2, new Prepare(2, 0, 1, d)), forged)))));

        assertThat(verifier.reject(vc)).isEqualTo(Optional.of("bad_nested_signature"));
        assertThat(verifier.reject(sign(1, new NewView(1, 1, List.of(vc), List.of()))))
                .isEqualTo(Optional.of("bad_nested_signature"));
    }

    @Test
    void aReplayedViewChangeOrNewViewCostsNoSecondSignatureCheckAndNoneOnTheConsensusThread() {
        InboundVerifier v = defended();
        ClientRequest r = request(Transaction.sign("iv", "alice", 1, null, "1", CLIENT)).reference();
        Signed<ViewChange> vc = viewChange(2, r);
        assertThat(v.reject(vc)).isEmpty();
        // The outer signature, the pre-prepare and both prepares of the prepared certificate.
        assertThat(checkThreads).hasSize(4);

        assertThat(v.reject(vc)).as("within the replay window").isEqualTo(Optional.of("replayed"));
        nowMs[0] += 10_000;
        assertThat(v.reject(vc)).as("later: passes again, from what is known").isEmpty();
        assertThat(checkThreads).as("no second check").hasSize(4);

        Signed<NewView> nv = newView(vc, r);
        assertThat(v.reject(nv)).isEmpty();
        assertThat(checkThreads).as("the NEW-VIEW's own signature and its O; V was verified").hasSize(6);
        nowMs[0] += 10_000;
        assertThat(v.reject(nv)).isEmpty();
        assertThat(checkThreads).hasSize(6);
        assertThat(checkThreads).doesNotContain("pbft-consensus");
    }

    @Test
    void signatureChecksBeyondAPeersBudgetAreDropped() {
        PeerBudget budget = new PeerBudget(new PeerBudget.Limits(0, 0, 10), 4, () -> nowNanos[0]);
        InboundVerifier v = defended(budget, requests -> io.pbftledger.chain.PriorExecution.NONE);
        List<Optional<String>> verdicts = new ArrayList<>();
        for (int nonce = 1; nonce <= 4; nonce++) {
            ClientRequest r = request(Transaction.sign("iv", "alice", nonce, null, "1", CLIENT)).reference();
            verdicts.add(v.reject(viewChange(2, r)));
        }
        // 4 checks each: 10, 6, 2 left (the third goes into debt), then nothing.
        assertThat(verdicts).containsExactly(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(PeerBudget.OVER_SIGNATURES));
        assertThat(checkThreads).hasSize(12);
        ClientRequest r = request(Transaction.sign("iv", "alice", 9, null, "1", CLIENT)).reference();
        assertThat(v.reject(viewChange(3, r))).as("another peer has its own budget").isEmpty();
        nowNanos[0] += 2_000_000_000L;
        assertThat(v.reject(viewChange(2, request(Transaction.sign("iv", "alice", 10, null, "1", CLIENT)).reference())))
                .as("after a refill").isEmpty();
    }

    @Test
    void aForwardLosesTheRequestsTheChainExecutedAndIsDroppedWhenNoneRemains() {
        Transaction executed = Transaction.sign("iv", "alice", 1, null, "1", CLIENT);
        Transaction fresh = Transaction.sign("iv", "alice", 2, null, "2", CLIENT);
        List<List<ClientRequest>> lookups = new ArrayList<>();
        InboundVerifier v = defended(PeerBudget.unlimited(), requests -> {
            lookups.add(requests);
            return (clientId, nonce) -> nonce == 1;
        });
        InboundVerifier.Verdict onlyExecuted = v.verify(sign(2, new io.pbftledger.pbft.message.Forward(2,
                List.of(request(executed)))));
        assertThat(onlyExecuted.dropReason()).isEqualTo("already_executed");
        nowMs[0] += 10_000;
        assertThat(v.verify(sign(2, new io.pbftledger.pbft.message.Forward(2, List.of(request(executed)))))
                .dropReason()).as("a copy later: known useless, no lookup").isEqualTo("already_executed");

        InboundVerifier.Verdict mixed = v.verify(sign(3, new io.pbftledger.pbft.message.Forward(3,
                List.of(request(executed), request(fresh)))));
        assertThat(mixed.accepted()).isTrue();
        assertThat(((io.pbftledger.pbft.message.Forward) mixed.message().message()).requests())
                .containsExactly(request(fresh));
        assertThat(lookups).as("one batched lookup per FORWARD").hasSize(2);
    }
}
