package io.pbftledger.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.client.CommitConfirmation;
import io.pbftledger.client.LedgerClient;
import io.pbftledger.client.SubmitOptions;
import io.pbftledger.client.VerificationException;
import io.pbftledger.client.VerifiedState;
import io.pbftledger.client.VerifiedTransaction;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.testing.ProcessTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The BFT client against four real replica processes, of which replica 0 (the first node the client
 * talks to) runs with ledger.fault-injection.mode=wrong-replies: it signs wrong block locations with its
 * real key, answers a wrong value for keys and serves proofs whose transaction it edited. The client
 * must report the true location, confirmed by f+1 honest replicas, and must reject the liar's proofs.
 */
@ProcessTest
class BftClientClusterTest {
    private static final int N = 4;
    private static final int LIAR = 0;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static Membership membership;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.start(dir, N, 2, i -> i == LIAR
                ? List.of("--ledger.fault-injection.enabled=true", "--ledger.fault-injection.mode=wrong-replies")
                : List.of());
        membership = MembershipFile.load(membershipFile());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Path membershipFile() {
        return dir.resolve("keys/membership.yml");
    }

    /**
     * A client that sends to {@code node} first; the long re-send delay makes the first node's answer the
     * first statement the client sees, so the test knows the liar's statement was weighed.
     */
    private static LedgerClient client(int node) {
        ClientIdentity identity = cluster.clients.get(0);
        return LedgerClient.builder(membership).identity(identity).node(cluster.url(node))
                .options(SubmitOptions.defaults().withResendAfter(Duration.ofSeconds(20))
                        .withProofAfter(Duration.ofSeconds(40))).build();
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cli(String... args) {
        CommandLine commandLine = PbftLedgerCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    private static JsonNode get(int replica, String path) throws Exception {
        return JSON.readTree(cluster.get(replica, path).body());
    }

    @Test
    void aSubmissionThroughTheLyingReplicaIsConfirmedAtTheTrueLocationByHonestReplicas() throws Exception {
        assertThat(cluster.log(LIAR)).contains("FAULT INJECTION ENABLED");
        CommitConfirmation done;
        try (LedgerClient client = client(LIAR)) {
            done = client.submit("bft-greeting", "{\"text\":\"hello\"}");
        }

        assertThat(done.confirmedBy()).doesNotContain(LIAR).hasSizeGreaterThanOrEqualTo(membership.f() + 1);
        JsonNode truth = get(1, "/api/v1/transactions/" + done.txId().hex());
        assertThat(done.blockHeight()).isEqualTo(truth.get("blockHeight").asLong());
        assertThat(done.blockHash().hex()).isEqualTo(truth.get("blockHash").asString());
        JsonNode lie = get(LIAR, "/api/v1/transactions/" + done.txId().hex());
        assertThat(lie.get("blockHash").asString()).as("the liar really lies").isNotEqualTo(done.blockHash().hex());
        assertThat(done.disbelieved()).containsKey("replica " + LIAR);
    }

    @Test
    void theLyingReplicasProofsAreRejectedAndHonestOnesVerifyWithFPlusOneSignedLocations() throws Exception {
        CommitConfirmation done;
        try (LedgerClient client = client(1)) {
            done = client.submit("bft-read", "{\"n\":42}");
        }
        try (LedgerClient liar = client(LIAR); LedgerClient honest = client(2)) {
            // Its transaction proof verifies (the certified batch under a made-up header), but no other
            // replica signs that height and block hash.
            JsonNode forged = get(LIAR, "/api/v1/transactions/" + done.txId().hex() + "/proof");
            assertThat(forged.get("block").get("height").asLong()).isEqualTo(done.blockHeight() + 1);
            assertThat(new io.pbftledger.client.ProofVerifier(membership).transaction(forged, done.txId(), "liar")
                    .blockHeight()).isEqualTo(done.blockHeight() + 1);
            assertThatThrownBy(() -> liar.getTransaction(done.txId().hex())).isInstanceOf(VerificationException.class)
                    .hasMessageContaining("the location and outcome replica 0 proves are not confirmed");
            assertThatThrownBy(() -> liar.getState("bft-read")).isInstanceOf(VerificationException.class)
                    .hasMessageContaining("the proof from replica 0 does not verify");

            VerifiedTransaction tx = honest.getTransaction(done.txId().hex());
            assertThat(tx.blockHash()).isEqualTo(done.blockHash());
            assertThat(tx.confirmedBy()).doesNotContain(LIAR).hasSizeGreaterThanOrEqualTo(membership.f() + 1);
            assertThat(tx.certifiedBy()).hasSizeGreaterThanOrEqualTo(membership.quorum());
            VerifiedState state = honest.getState("bft-read");
            assertThat(state.value()).isEqualTo("{\"n\":42}");
            assertThat(state.writer().txId()).isEqualTo(done.txId());
            assertThat(state.answeredBy()).isEqualTo(2);
        }
    }

    @Test
    void theCliReportsConfirmationsAndRefusesToPrintALocationOnlyTheLiarSigns() throws Exception {
        String keys = dir.resolve("keys").toString();
        Run submit = cli("client", "submit", "--membership", membershipFile().toString(), "--identity",
                keys + "/clients/client-1.key", "--key", "bft-cli", "--payload", "{\"cli\":true}", "--wait",
                "--node", cluster.url(LIAR), "--resend-after-ms", "20000", "--proof-after-ms", "40000");
        assertThat(submit.exitCode()).as(submit.err()).isZero();
        String txId = submit.out().lines().filter(l -> l.startsWith("txId: ")).findFirst().orElseThrow().substring(6);
        assertThat(submit.out()).contains("status: COMMITTED").containsPattern("confirmations: [23] of 4 replicas")
                .contains("notBelieved: replica 0: signed another location");

        Run lie = cli("client", "get", "--membership", membershipFile().toString(), "--tx", txId,
                "--node", cluster.url(LIAR));
        assertThat(lie.exitCode()).isEqualTo(1);
        assertThat(lie.out()).isEmpty();
        assertThat(lie.err().lines()).singleElement().asString()
                .startsWith("pbft-ledger client get: the location and outcome replica 0 proves are not confirmed: ");

        Run verified = cli("client", "get", "--membership", membershipFile().toString(), "--tx", txId,
                "--node", cluster.url(3));
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("txId: " + txId, "status: COMMITTED", "payload: {\"cli\":true}");

        Run key = cli("client", "get", "--membership", membershipFile().toString(), "--key", "bft-cli",
                "--node", cluster.url(1), "--json");
        assertThat(key.exitCode()).as(key.err()).isZero();
        JsonNode value = JSON.readTree(key.out());
        assertThat(value.get("value").get("cli").asBoolean()).isTrue();
        assertThat(value.get("answeredBy").asInt()).isEqualTo(1);

        Run lyingKey = cli("client", "get", "--membership", membershipFile().toString(), "--key", "bft-cli",
                "--node", cluster.url(LIAR));
        assertThat(lyingKey.exitCode()).isEqualTo(1);
        assertThat(lyingKey.err()).contains("does not verify");
    }
}
