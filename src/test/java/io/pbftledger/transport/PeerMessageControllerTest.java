package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.DropCounters;
import io.pbftledger.node.InboundVerifier;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = PeerMessageController.class)
class PeerMessageControllerTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<Ed25519.PrivateKey> REPLICA_KEYS = new ArrayList<>();
    private static final Ed25519.PrivateKey CLIENT = Ed25519.PrivateKey.generate(RANDOM);
    private static final Membership MEMBERSHIP = membership();
    private static final PeerRequests REQUESTS = new PeerRequests(MEMBERSHIP, REPLICA_KEYS, 0);

    @Autowired
    MockMvc mvc;
    @Autowired
    DropCounters drops;
    @Autowired
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters;
    @MockitoBean
    ReplicaDriver driver;
    @MockitoBean
    HttpPeerOutbox outbox;

    @TestConfiguration
    static class Wiring {
        @Bean
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters() {
            return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        }

        @Bean
        PeerTraffic peerTraffic(io.micrometer.core.instrument.simple.SimpleMeterRegistry meters) {
            return new PeerTraffic(meters);
        }

        @Bean
        DropCounters dropCounters() {
            return new DropCounters();
        }

        @Bean
        InboundVerifier inboundVerifier() {
            TransactionChecks checks = new TransactionChecks(MEMBERSHIP, new VerifiedTransactions(100));
            return new InboundVerifier(MEMBERSHIP, 0, checks, ForkJoinPool.commonPool(), 100, 1 << 20);
        }

        @Bean
        PeerLimits limits() {
            return PeerLimits.fixed(new PeerEndpointLimits(new PeerBodyLimits(64 * 1024, 64 * 1024, 64 * 1024),
                    new MessageCodec.Limits(16, 100, Transaction.WIRE_MAX_BYTES, 64 * 1024)));
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
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:1", k.publicKey()));
        }
        return new Membership("peer-test", replicas,
                List.of(new Membership.Client("alice", CLIENT.publicKey(), EnumSet.of(Role.SUBMIT))));
    }

    private static <T extends PbftMessage> Signed<T> sign(int replica, T m) {
        return new Signed<>(m, REPLICA_KEYS.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(MEMBERSHIP), m)));
    }

    private void postBody(byte[] body, int expectedStatus) throws Exception {
        mvc.perform(REQUESTS.post(1, body)).andExpect(status().is(expectedStatus));
    }

    @Test
    void authenticMessagesReachTheDriverAndForgedOnesAreDroppedAndCounted() throws Exception {
        when(driver.offer(any())).thenReturn(true);
        Commit commit = new Commit(1, 0, 1, Digest.sha256(new byte[] {1}));
        Signed<Commit> good = sign(1, commit);
        Signed<Commit> forged = new Signed<>(new Commit(2, 0, 1, commit.batchDigest()), good.signature());
        Signed<Commit> fromSelf = sign(0, new Commit(0, 0, 1, commit.batchDigest()));

        byte[] body = MessageCodec.encodeAll(List.of(good, forged, fromSelf));
        double commitsBefore = meters.get("pbft.messages.received").tag("type", "commit").counter().count();
        double bytesBefore = receivedBytes();
        postBody(body, 202);

        verify(driver).offer(good);
        assertThat(drops.snapshot()).containsEntry("bad_signature", 1L).containsEntry("from_self", 1L);
        assertThat(meters.get("pbft.messages.received").tag("type", "commit").counter().count() - commitsBefore)
                .as("only the authentic commit counts as received").isEqualTo(1.0);
        assertThat(receivedBytes() - bytesBefore).as("the decoded body's bytes").isEqualTo(body.length);
    }

    @Test
    void aPrePrepareCarryingAForgedClientTransactionNeverReachesTheCore() throws Exception {
        Transaction tx = Transaction.sign("peer-test", "alice", 1, null, "{\"a\":1}", CLIENT);
        Transaction forged = new Transaction("peer-test", "alice", 1, null, "{\"a\":2}", tx.signature());
        ClientRequest request = forged.toRequest();
        long ts = 1_000;
        PrePrepare pp = new PrePrepare(0, 0, 1, ts, BatchDigest.of(ts, List.of(request.id())), List.of(request));
        // Sent by replica 0, the primary, to replica 0 would be "from_self"; sign as replica 1 to reach the check.
        PrePrepare fromOne = new PrePrepare(1, 0, 1, ts, pp.batchDigest(), pp.batch());

        mvc.perform(REQUESTS.post(1, List.of(sign(1, fromOne)))).andExpect(status().is(202));

        verify(driver, never()).offer(any());
        assertThat(drops.snapshot()).containsEntry("invalid_request", 1L);
    }

    private double receivedBytes() {
        return meters.get("pbft.peer.received.bytes").counter().count();
    }

    @Test
    void malformedBodiesAreBadRequestsAndOversizedOnesAreRefused() throws Exception {
        double bytesBefore = receivedBytes();
        mvc.perform(REQUESTS.post(1, new byte[] {1, 2, 3}))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        postBody(new byte[128 * 1024], 413);
        verify(driver, never()).offer(any());
        assertThat(receivedBytes() - bytesBefore).as("bodies that did not decode").isZero();
        assertThat(drops.snapshot()).containsEntry("malformed", 1L).containsEntry("oversized_body", 1L);
    }
}
