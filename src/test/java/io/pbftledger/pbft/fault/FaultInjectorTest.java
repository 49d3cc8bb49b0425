package io.pbftledger.pbft.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
    private static final int N = 4;
    private static final SigningDomain DOMAIN = new SigningDomain(Digest.sha256(new byte[] {4}));

    private static byte[] sign(int replica, byte[] bytes) {
        return Arrays.copyOf(Digest.sha256(ByteBuffer.allocate(4).putInt(replica).array(), bytes).bytes(), 64);
    }

    private static boolean validlySigned(Signed<? extends PbftMessage> s) {
        return Arrays.equals(sign(s.message().replica(), MessageCodec.signingBytes(DOMAIN, s.message())), s.signature());
    }

    private static <T extends PbftMessage> Signed<T> signed(T m) {
        return new Signed<>(m, sign(m.replica(), MessageCodec.signingBytes(DOMAIN, m)));
    }

    private static FaultInjector injector(FaultMode mode, int self) {
        return new FaultInjector(mode, self, N, 150, DOMAIN, bytes -> sign(self, bytes));
    }

    private static Signed<PrePrepare> prePrepare() {
        byte[] body = {1, 2};
        List<ClientRequest> batch = List.of(new ClientRequest("c", 1,
                Digest.sha256("c#1".getBytes(StandardCharsets.UTF_8)), body));
        return signed(new PrePrepare(0, 0, 5, 100, BatchDigest.ofRequests(100, batch), batch));
    }

    @Test
    void silentReplicaSendsNothing() {
        assertThat(injector(FaultMode.SILENT, 1).outgoing(2, prePrepare())).isEmpty();
    }

    @Test
    void slowAndWrongRepliesLeaveConsensusMessagesAloneAndExposeHooks() {
        FaultInjector slow = injector(FaultMode.SLOW, 0);
        assertThat(slow.outgoing(1, prePrepare())).containsExactly(prePrepare());
        assertThat(slow.delayMs()).isEqualTo(150);
        FaultInjector liar = injector(FaultMode.WRONG_REPLIES, 0);
        assertThat(liar.outgoing(1, prePrepare())).containsExactly(prePrepare());
        assertThat(liar.reportsWrongResults()).isTrue();
        assertThat(liar.delayMs()).isZero();
    }

    @Test
    void badDigestPrimaryProposesADigestThatDoesNotMatchItsBatchSignedWithItsOwnKey() {
        List<Signed<? extends PbftMessage>> out = injector(FaultMode.BAD_DIGEST_PRIMARY, 0).outgoing(1, prePrepare());
        assertThat(out).singleElement().satisfies(s -> {
            PrePrepare pp = (PrePrepare) s.message();
            assertThat(BatchDigest.ofRequests(pp.timestamp(), pp.batch())).isNotEqualTo(pp.batchDigest());
            assertThat(validlySigned(s)).isTrue();
        });
    }

    @Test
    void badDigestPreparesVoteForAnotherDigest() {
        Signed<Prepare> honest = signed(new Prepare(2, 0, 5, prePrepare().message().batchDigest()));
        assertThat(injector(FaultMode.BAD_DIGEST_PREPARES, 2).outgoing(1, honest)).singleElement().satisfies(s -> {
            assertThat(((Prepare) s.message()).batchDigest()).isNotEqualTo(honest.message().batchDigest());
            assertThat(validlySigned(s)).isTrue();
        });
    }

    @Test
    void equivocatingPrimarySendsDifferentValidBatchesForOneSequenceToDifferentBackups() {
        FaultInjector primary = injector(FaultMode.EQUIVOCATING_PRIMARY, 0);
        PrePrepare toOne = (PrePrepare) primary.outgoing(1, prePrepare()).get(0).message();
        PrePrepare toTwo = (PrePrepare) primary.outgoing(2, prePrepare()).get(0).message();
        assertThat(toOne.sequence()).isEqualTo(toTwo.sequence());
        assertThat(toOne.batchDigest()).isNotEqualTo(toTwo.batchDigest());
        for (PrePrepare pp : List.of(toOne, toTwo)) {
            assertThat(BatchDigest.ofRequests(pp.timestamp(), pp.batch())).isEqualTo(pp.batchDigest());
        }
    }

    @Test
    void forgedVotesCarryAnotherReplicasNameButNotItsSignature() {
        Signed<Commit> own = signed(new Commit(3, 0, 5, prePrepare().message().batchDigest()));
        List<Signed<? extends PbftMessage>> out = injector(FaultMode.FORGED_VOTES, 3).outgoing(1, own);
        assertThat(out).hasSize(2).first().isEqualTo(own);
        assertThat(out.get(1).message().replica()).isEqualTo(0);
        assertThat(validlySigned(out.get(1))).isFalse();
    }

    @Test
    void replayerFloodsDuplicatesAndOldMessagesDeterministically() {
        FaultInjector a = injector(FaultMode.REPLAYING, 1);
        FaultInjector b = injector(FaultMode.REPLAYING, 1);
        for (int i = 0; i < 10; i++) {
            Signed<Prepare> p = signed(new Prepare(1, 0, i + 1, Digest.ZERO));
            List<Signed<? extends PbftMessage>> out = a.outgoing(2, p);
            assertThat(out).hasSize(4).startsWith(p, p, p);
            assertThat(out).isEqualTo(b.outgoing(2, p));
        }
    }

    @Test
    void aCensoringPrimaryCensorsOnlyTheConfiguredClientsAndSendsEverythingAsIs() {
        FaultInjector censor = new FaultInjector(FaultMode.CENSORING_PRIMARY, 0, N, 0, DOMAIN, bytes -> sign(0, bytes),
                java.util.Set.of("client-2"));
        assertThat(censor.censors("client-2")).isTrue();
        assertThat(censor.censors("client-1")).isFalse();
        assertThat(FaultMode.CENSORING_PRIMARY.rewritesMessages()).isFalse();
        Signed<PrePrepare> pp = prePrepare();
        assertThat(censor.outgoing(1, pp)).containsExactly(pp);
        assertThat(injector(FaultMode.SILENT, 0).censors("client-2")).isFalse();
    }

    @Test
    void faultPackageDependsOnMessagesAndTheJdkOnly() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pbftledger.pbft.fault");
        ArchRuleDefinition.classes().that().resideInAPackage("io.pbftledger.pbft.fault..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.pbftledger.pbft.fault..",
                        "io.pbftledger.pbft.message..", "java.util..", "java.lang..", "java.nio")
                .check(classes);
    }

    @Test
    void replayFloodSendsHonestlyAndKeepsItsViewChangesAndForwardsForTheFloodLoop() {
        FaultInjector flood = injector(FaultMode.REPLAY_FLOOD, 1);
        Signed<io.pbftledger.pbft.message.Forward> forward = signed(new io.pbftledger.pbft.message.Forward(1,
                prePrepare().message().batch()));
        Signed<io.pbftledger.pbft.message.ViewChange> vc = signed(new io.pbftledger.pbft.message.ViewChange(1, 1, 0,
                List.of(), List.of()));
        assertThat(flood.outgoing(0, forward)).containsExactly(forward);
        assertThat(flood.outgoing(0, vc)).containsExactly(vc);
        assertThat(flood.outgoing(2, vc)).as("a broadcast is kept once").containsExactly(vc);
        assertThat(flood.outgoing(0, prePrepare())).containsExactly(prePrepare());
        assertThat(flood.replayable()).containsExactly(vc, forward);
    }
}
