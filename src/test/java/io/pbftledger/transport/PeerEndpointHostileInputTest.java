package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.DropCounters;
import io.pbftledger.node.InboundVerifier;
import io.pbftledger.node.PeerBudget;
import io.pbftledger.node.ReplicaDriver;
import io.pbftledger.node.TransactionChecks;
import io.pbftledger.node.VerifiedTransactions;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Signed;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * What a hostile peer (or an outsider reaching the peer port) can send: every bad message is
 * dropped before the consensus thread and counted by reason; the good ones in the same body still
 * get through; a full consensus queue drops rather than grows.
 */
@WebMvcTest(controllers = PeerMessageController.class)
class PeerEndpointHostileInputTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<Ed25519.PrivateKey> REPLICA_KEYS = new ArrayList<>();
    private static final Ed25519.PrivateKey CLIENT = Ed25519.PrivateKey.generate(RANDOM);
    private static final Ed25519.PrivateKey OUTSIDER = Ed25519.PrivateKey.generate(RANDOM);
    private static final Membership MEMBERSHIP = membership();
    private static final PeerRequests REQUESTS = new PeerRequests(MEMBERSHIP, REPLICA_KEYS, 0);
    private static final int BATCH_MAX_TRANSACTIONS = 2;
    private static final long BATCH_MAX_BYTES = 600;
    private static final int MESSAGES_MAX_PER_BODY = 8;
    /** Each peer's budget: messages per second. */
    private static final int BUDGET_MESSAGES = 20;
    /** The budget's clock: each test starts a minute later, with every budget full. */
    private static final java.util.concurrent.atomic.AtomicLong NANOS = new java.util.concurrent.atomic.AtomicLong();

    @Autowired
    MockMvc mvc;
    @Autowired
    DropCounters drops;
    @MockitoBean
    ReplicaDriver driver;
    @MockitoBean
    HttpPeerOutbox outbox;

    @TestConfiguration
    static class Wiring {
        @Bean
        PeerTraffic peerTraffic() {
            return new PeerTraffic(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        }

        @Bean
        PeerBudget peerBudget() {
            return new PeerBudget(new PeerBudget.Limits(BUDGET_MESSAGES, 64 * 1024, 1_000), 4, NANOS::get);
        }

        @Bean
        DropCounters dropCounters() {
            return new DropCounters();
        }

        @Bean
        InboundVerifier inboundVerifier() {
            TransactionChecks checks = new TransactionChecks(MEMBERSHIP, new VerifiedTransactions(100));
            return new InboundVerifier(MEMBERSHIP, 0, checks, ForkJoinPool.commonPool(), BATCH_MAX_TRANSACTIONS,
                    BATCH_MAX_BYTES);
        }

        @Bean
        PeerLimits limits() {
            return PeerLimits.fixed(new PeerEndpointLimits(new PeerBodyLimits(256 * 1024, 256 * 1024, 256 * 1024),
                    new MessageCodec.Limits(MESSAGES_MAX_PER_BODY, 100, Transaction.WIRE_MAX_BYTES, 256 * 1024)));
        }

        @Bean
        PeerRequestAuthenticator authenticator() {
            return new PeerRequestAuthenticator(MEMBERSHIP, 0, Genesis.signingDomain(MEMBERSHIP), 30_000);
        }
    }

    private static Membership membership() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PrivateKey k = Ed25519.PrivateKey.generate(RANDOM);
            REPLICA_KEYS.add(k);
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (9000 + i), k.publicKey()));
        }
        return new Membership("peer-hostile", replicas,
                List.of(new Membership.Client("alice", CLIENT.publicKey(), EnumSet.of(Role.SUBMIT))));
    }

    private static <T extends PbftMessage> Signed<T> sign(Ed25519.PrivateKey key, T m) {
        return new Signed<>(m, key.sign(MessageCodec.signingBytes(Genesis.signingDomain(MEMBERSHIP), m)));
    }

    private static PrePrepare prePrepare(int from, int transactions, int payloadBytes) {
        List<ClientRequest> batch = new ArrayList<>();
        List<Digest> ids = new ArrayList<>();
        for (int i = 0; i < transactions; i++) {
            Transaction tx = Transaction.sign("peer-hostile", "alice", i, null, "\"" + "x".repeat(payloadBytes) + "\"", CLIENT);
            batch.add(tx.toRequest());
            ids.add(tx.requestId());
        }
        return new PrePrepare(from, 0, 1, 1_000, BatchDigest.of(1_000, ids), batch);
    }

    /** Sent by the replica the first message names (replica 1 when that is no other replica). */
    private void send(List<? extends Signed<?>> messages, int expectedStatus) throws Exception {
        mvc.perform(REQUESTS.post(sender(messages), messages)).andExpect(status().is(expectedStatus));
    }

    private static int sender(List<? extends Signed<?>> messages) {
        int first = messages.get(0).message().replica();
        return first >= 1 && first < MEMBERSHIP.n() ? first : 1;
    }

    private java.util.Map<String, Long> before;

    @BeforeEach
    void driverAcceptsByDefault() {
        when(driver.offer(any())).thenReturn(true);
        NANOS.addAndGet(60_000_000_000L);
        // The counters live as long as the cached context: each test looks at what it added.
        before = drops.snapshot();
    }

    private long dropped(String reason) {
        return drops.snapshot().getOrDefault(reason, 0L) - before.getOrDefault(reason, 0L);
    }

    @Test
    void aMessageFromAReplicaIdOutsideTheMembershipIsDroppedAsNonMember() throws Exception {
        Signed<Commit> outsider = sign(OUTSIDER, new Commit(7, 0, 1, Digest.sha256(new byte[] {1})));
        Signed<Commit> good = sign(REPLICA_KEYS.get(2), new Commit(2, 0, 1, Digest.sha256(new byte[] {1})));

        send(List.of(outsider, good), 202);

        verify(driver).offer(good);
        verify(driver, times(1)).offer(any());
        assertThat(dropped("non_member")).isEqualTo(1L);
    }

    @Test
    void anOutsiderSigningInAMembersNameIsDroppedAsBadSignature() throws Exception {
        send(List.of(sign(OUTSIDER, new Commit(3, 0, 1, Digest.sha256(new byte[] {2})))), 202);
        verify(driver, never()).offer(any());
        assertThat(dropped("bad_signature")).isEqualTo(1L);
    }

    @Test
    void batchesOverTheTransactionOrByteLimitAreDroppedAsOversized() throws Exception {
        Signed<PrePrepare> tooMany = sign(REPLICA_KEYS.get(1), prePrepare(1, BATCH_MAX_TRANSACTIONS + 1, 1));
        Signed<PrePrepare> tooBig = sign(REPLICA_KEYS.get(1), prePrepare(1, 2, 400));
        Signed<PrePrepare> fits = sign(REPLICA_KEYS.get(1), prePrepare(1, 2, 10));

        send(List.of(tooMany, tooBig, fits), 202);

        verify(driver).offer(fits);
        verify(driver, times(1)).offer(any());
        assertThat(dropped("oversized_batch")).isEqualTo(2L);
    }

    @Test
    void aFullConsensusQueueDropsAndCountsInsteadOfBuffering() throws Exception {
        when(driver.offer(any())).thenReturn(false);
        List<Signed<Commit>> flood = new ArrayList<>();
        for (int i = 0; i < MESSAGES_MAX_PER_BODY; i++) {
            flood.add(sign(REPLICA_KEYS.get(1), new Commit(1, 0, i + 1, Digest.sha256(new byte[] {(byte) i}))));
        }
        send(flood, 202);
        assertThat(dropped("queue_full")).isEqualTo(MESSAGES_MAX_PER_BODY);
    }

    @Test
    void moreMessagesInOneBodyThanTheLimitIsRefusedWholeAsMalformed() throws Exception {
        List<Signed<Commit>> flood = new ArrayList<>();
        for (int i = 0; i <= MESSAGES_MAX_PER_BODY; i++) {
            flood.add(sign(REPLICA_KEYS.get(1), new Commit(1, 0, i + 1, Digest.sha256(new byte[] {(byte) i}))));
        }
        mvc.perform(REQUESTS.post(1, flood))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("malformed peer message: ")));
        verify(driver, never()).offer(any());
        assertThat(dropped("malformed")).isEqualTo(1L);
    }

    @Test
    void aTruncatedMessageAfterAGoodOneRefusesTheWholeBodySoNothingPartialReachesTheCore() throws Exception {
        byte[] good = MessageCodec.encodeAll(List.of(sign(REPLICA_KEYS.get(1), new Commit(1, 0, 1, Digest.sha256(new byte[] {9})))));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        mvc.perform(REQUESTS.post(1, truncated))
                .andExpect(status().isBadRequest());
        verify(driver, never()).offer(any());
    }

    @Test
    void messagesBeyondAPeersBudgetAreDroppedAndCountedWhileOtherPeersStillGetThrough() throws Exception {
        int sent = 0;
        for (int body = 0; body < 4; body++) {
            List<Signed<Commit>> flood = new ArrayList<>();
            for (int i = 0; i < MESSAGES_MAX_PER_BODY; i++) {
                flood.add(sign(REPLICA_KEYS.get(1), new Commit(1, 0, ++sent, Digest.sha256(new byte[] {(byte) sent}))));
            }
            send(flood, 202);
        }
        Signed<Commit> other = sign(REPLICA_KEYS.get(2), new Commit(2, 0, 1, Digest.sha256(new byte[] {1})));
        send(List.of(other), 202);

        verify(driver, times(BUDGET_MESSAGES + 1)).offer(any());
        verify(driver).offer(other);
        assertThat(dropped(PeerBudget.OVER_MESSAGES)).isEqualTo(sent - BUDGET_MESSAGES);
    }

    @Test
    void bodiesBeyondAPeersByteBudgetAreDroppedAndCounted() throws Exception {
        List<Signed<PrePrepare>> big = List.of(sign(REPLICA_KEYS.get(3), prePrepare(3, 2, 200)));
        int bodyBytes = MessageCodec.encodeAll(big).length;
        int fit = 0;
        while ((long) (fit + 1) * bodyBytes <= 64 * 1024) {
            fit++;
        }
        for (int i = 0; i <= fit + 1; i++) {
            send(big, 202);
        }
        // The body that empties the bucket still passes (charged after the fact); the next is dropped.
        assertThat(dropped(PeerBudget.OVER_BYTES)).isEqualTo(1L);
    }
}
