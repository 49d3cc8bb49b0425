package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** O computed from V [4.4], and the proofs a VIEW-CHANGE must carry. */
class NewViewBuilderTest {
    private static PreparedProof prepared(long view, long seq, long ts, ClientRequest... batch) {
        int primary = (int) (view % Fixture.N);
        Signed<PrePrepare> pp = Fixture.prePrepare(primary, view, seq, ts, batch);
        Digest d = pp.message().batchDigest();
        List<Signed<Prepare>> prepares = new ArrayList<>();
        for (int r = 0; r < Fixture.N && prepares.size() < 2; r++) {
            if (r != primary) {
                prepares.add(Fixture.prepare(r, view, seq, d));
            }
        }
        return new PreparedProof(pp, prepares);
    }

    private static ViewChange vc(int replica, PreparedProof... p) {
        return new ViewChange(replica, 2, 0, List.of(), List.of(p));
    }

    @Test
    void takesTheBatchPreparedInTheHighestViewAndFillsGapsWithNullRequests() {
        ClientRequest a = request("a", 1);
        ClientRequest b = request("b", 1);
        ClientRequest c = request("c", 1);
        List<ViewChange> v = List.of(
                vc(1, prepared(0, 1, 10, a), prepared(0, 3, 30, c)),
                vc(2, prepared(1, 1, 20, b)),
                vc(3));
        List<PrePrepare> o = NewViewBuilder.computeO(2, 2, v);
        assertThat(o).extracting(PrePrepare::sequence).containsExactly(1L, 2L, 3L);
        assertThat(o).allSatisfy(pp -> {
            assertThat(pp.view()).isEqualTo(2);
            assertThat(pp.replica()).isEqualTo(2);
            assertThat(BatchDigest.ofRequests(pp.timestamp(), pp.batch())).isEqualTo(pp.batchDigest());
        });
        assertThat(o.get(0).batch()).as("view 1 beats view 0").containsExactly(b);
        assertThat(o.get(1).batch()).as("null request").isEmpty();
        assertThat(o.get(1).timestamp()).as("a null request carries the timestamp before it").isEqualTo(20);
        assertThat(o.get(2).batch()).containsExactly(c);
    }

    /**
     * O can hold one request at two sequences (prepared at 1 in view 0, then, never committed there,
     * proposed again at 2 in view 1). The core delivers both batches as certified; every replica
     * executes the same sequence, so each skips the request at 2 alike (the driver's rule).
     */
    @Test
    void oMayHoldARequestAtTwoSequencesAndTheCoreKeepsTheCertifiedBatchesIntact() {
        ClientRequest r = request("r", 7);
        List<ViewChange> v = List.of(
                vc(1, prepared(0, 1, 10, r)),
                vc(2, prepared(0, 1, 10, r), prepared(1, 2, 11, r, request("s", 1))),
                vc(3));
        List<PrePrepare> o = NewViewBuilder.computeO(2, 2, v);
        assertThat(o.get(0).batch()).containsExactly(r);
        assertThat(o.get(1).batch()).startsWith(r);
    }

    @Test
    void viewChangeProofsAreCheckedWithTheNestedSignatures() {
        ProofChecker checker = new ProofChecker(new Epochs(ReplicaSet.ofSize(Fixture.N), Fixture.K), Fixture.L, Fixture.DOMAIN, Fixture.verifier());
        PreparedProof good = prepared(0, 1, 10, request("a", 1));
        assertThat(checker.viewChangeValid(vc(1, good))).isTrue();

        Signed<Prepare> forged = new Signed<>(good.prepares().get(1).message(), good.prepares().get(0).signature());
        assertThat(checker.viewChangeValid(vc(1, new PreparedProof(good.prePrepare(),
                List.of(good.prepares().get(0), forged))))).as("bad nested signature").isFalse();
        assertThat(checker.viewChangeValid(vc(1, new PreparedProof(good.prePrepare(),
                List.of(good.prepares().get(0), good.prepares().get(0)))))).as("same backup twice").isFalse();
        assertThat(checker.viewChangeValid(vc(1, new PreparedProof(good.prePrepare(),
                List.of(good.prepares().get(0)))))).as("only f prepares").isFalse();
        assertThat(checker.viewChangeValid(new ViewChange(1, 1, 10, List.of(), List.of())))
                .as("a stable checkpoint without its proof").isFalse();
        assertThat(checker.viewChangeValid(new ViewChange(1, 1, 10,
                List.of(Fixture.checkpoint(0, 10, Digest.ZERO), Fixture.checkpoint(2, 10, Digest.ZERO),
                        Fixture.checkpoint(3, 10, Digest.ZERO)), List.of()))).isTrue();
        PreparedProof fromWrongPrimary = new PreparedProof(signed(new PrePrepare(1, 0, 1, 10,
                good.prePrepare().message().batchDigest(), good.prePrepare().message().batch())), good.prepares());
        assertThat(checker.viewChangeValid(vc(1, fromWrongPrimary))).isFalse();
    }

    @Test
    void viewChangeProofsSignedForAnotherChainAreRefused() {
        ProofChecker otherChain = new ProofChecker(new Epochs(ReplicaSet.ofSize(Fixture.N), Fixture.K), Fixture.L,
                new SigningDomain(Digest.sha256(new byte[] {42})), Fixture.verifier());
        assertThat(otherChain.viewChangeValid(vc(1, prepared(0, 1, 10, request("a", 1))))).as("prepared certificate").isFalse();
        assertThat(otherChain.viewChangeValid(new ViewChange(1, 1, 10,
                List.of(Fixture.checkpoint(0, 10, Digest.ZERO), Fixture.checkpoint(2, 10, Digest.ZERO),
                        Fixture.checkpoint(3, 10, Digest.ZERO)), List.of()))).as("checkpoint proof").isFalse();
    }
}
