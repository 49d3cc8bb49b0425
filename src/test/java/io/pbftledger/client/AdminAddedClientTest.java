package io.pbftledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A client an admin added after the membership file was written ("client-7", not in the file): the
 * library accepts its key only when f+1 replicas report it in their membership, then submits and reads
 * (signed) as for any client; one lying replica cannot vouch for a key, and a revoked or rotated
 * identity gets a one-line {@link NotMemberException}.
 */
class AdminAddedClientTest {
    private static final Ed25519.PrivateKey ADDED_KEY = AdminAddedClientFixtures.ADDED_KEY;
    private static final ClientIdentity ADDED = AdminAddedClientFixtures.ADDED;
    private static final Transaction TX = AdminAddedClientFixtures.TX;
    private static final SubmitOptions FAST = new SubmitOptions(Duration.ofMillis(100), Duration.ofSeconds(30),
            Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofMillis(50));

    private static StandInReplicas.Behaviour replica(int id, Ed25519.PublicKey key) {
        return AdminAddedClientFixtures.replica(id, key);
    }

    private static LedgerClient client(StandInReplicas replicas) {
        return LedgerClient.builder(replicas.membership()).identity(ADDED).options(FAST).build();
    }

    @Test
    void anAdminAddedClientSubmitsOnceFPlusOneReplicasReportItsKey() throws Exception {
        Ed25519.PublicKey key = ADDED_KEY.publicKey();
        // replica 3 has not executed the admin op yet
        try (StandInReplicas replicas = new StandInReplicas(replica(0, key), replica(1, key), replica(2, key), replica(3, null));
             LedgerClient client = client(replicas)) {
            assertThat(replicas.membership().client(ADDED.clientId())).as("not in the membership file").isEmpty();

            CommitConfirmation done = client.submit(TX);

            assertThat(done.txId()).isEqualTo(TX.txId());
            assertThat(done.confirmedBy()).hasSizeGreaterThanOrEqualTo(2);
            ClientStanding standing = client.checkMembership();
            assertThat(standing.source()).isEqualTo(ClientStanding.Source.REPLICAS);
            assertThat(standing.reportedBy()).containsExactly(0, 1, 2);
            assertThat(standing.roles()).containsExactly("submit", "read");
        }
    }

    @Test
    void anAdminAddedClientReadsAVerifiedValueWithSignedRequests() throws Exception {
        Ed25519.PublicKey key = ADDED_KEY.publicKey();
        try (StandInReplicas replicas = new StandInReplicas(replica(0, key), replica(1, key), replica(2, key), replica(3, key));
             LedgerClient client = client(replicas)) {
            VerifiedState state = client.getState("greeting");

            assertThat(state.value()).isEqualTo("{\"text\":\"hi\"}");
            assertThat(state.writer().transaction().clientId()).isEqualTo("client-7");
            Headers headers = replicas.lastHeaders(0, "proof");
            assertThat(headers.getFirst(ReadRequestSignature.CLIENT_HEADER)).isEqualTo("client-7");
            long timestamp = Long.parseLong(headers.getFirst(ReadRequestSignature.TIMESTAMP_HEADER));
            byte[] signature = Base64.getDecoder().decode(headers.getFirst(ReadRequestSignature.SIGNATURE_HEADER));
            assertThat(ReadRequestSignature.verify(key, ClientFixtures.CHAIN_ID, "GET", "/api/v1/state/greeting/proof",
                    timestamp, signature)).as("the read is signed by client-7 over its exact target").isTrue();
        }
    }

    @Test
    void oneLyingReplicaCannotMakeTheClientAcceptAKey() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(replica(0, ADDED_KEY.publicKey()), replica(1, null),
                replica(2, null), replica(3, null));
             LedgerClient client = client(replicas)) {
            assertThatThrownBy(() -> client.submit(TX)).isInstanceOf(NotMemberException.class)
                    .hasMessage("client 'client-7' is not a member of chain client-test with this key: replicas [1, 2, 3] "
                            + "deny it (revoked, or never added); 1 of the f+1 = 2 replicas needed report its key");
            for (int i = 0; i < 4; i++) {
                assertThat(replicas.calls(i, "submit")).as("nothing was submitted to replica " + i).isZero();
            }
        }
    }

    @Test
    void aLyingReplicaAloneWhileTheOthersAreDownConfirmsNothing() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(replica(0, ADDED_KEY.publicKey()), null, null, null);
             LedgerClient client = LedgerClient.builder(replicas.membership()).identity(ADDED)
                     .timeout(Duration.ofSeconds(1)).build()) {
            assertThatThrownBy(client::checkMembership).isInstanceOf(LedgerClientException.class)
                    .isNotInstanceOf(NotMemberException.class)
                    .hasMessageStartingWith("cannot confirm that client 'client-7' is a member: it is not in the "
                            + "membership file with this key, and 1 of the f+1 = 2 replicas needed report its key; replica 1: ")
                    .hasMessageNotContaining("\n");
            assertThat(replicas.calls(0, "submit")).isZero();
        }
    }

    @Test
    void aRevokedClientGetsAOneLineRefusal() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(replica(0, null), replica(1, null), replica(2, null), null);
             LedgerClient client = client(replicas)) {
            assertThatThrownBy(() -> client.send(TX)).isInstanceOf(NotMemberException.class)
                    .hasMessageStartingWith("client 'client-7' is not a member of chain client-test with this key: "
                            + "replicas [0, 1, 2] deny it (revoked, or never added)")
                    .hasMessageNotContaining("\n");
            assertThat(replicas.calls(0, "membership")).as("a fresh admin op gets a few rounds to reach the replicas")
                    .isEqualTo(MemberCheck.DENIAL_ROUNDS);
        }
    }

    @Test
    void aKeyTheLedgerReplacedIsRefusedAsRotated() throws Exception {
        Ed25519.PublicKey other = ClientFixtures.key(71).publicKey();
        try (StandInReplicas replicas = new StandInReplicas(replica(0, other), replica(1, other), replica(2, other),
                replica(3, other));
             LedgerClient client = client(replicas)) {
            assertThatThrownBy(client::checkMembership).isInstanceOf(NotMemberException.class)
                    .hasMessageContaining("replicas [0, 1, 2, 3] deny it (the ledger holds another key for it (rotated?))");
        }
    }

    @Test
    void aClientTheMembershipFileListsWithItsKeyAsksNoReplica() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(replica(0, null), replica(1, null), replica(2, null), replica(3, null));
             LedgerClient client = LedgerClient.builder(replicas.membership()).identity(ClientFixtures.CLIENT).build()) {
            ClientStanding standing = client.checkMembership();

            assertThat(standing.source()).isEqualTo(ClientStanding.Source.MEMBERSHIP_FILE);
            assertThat(standing.roles()).containsExactly("submit", "read");
            for (int i = 0; i < 4; i++) {
                assertThat(replicas.calls(i, "membership")).isZero();
            }
        }
    }
}
