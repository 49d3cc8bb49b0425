package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.client.AdminAddedClientFixtures;
import io.pbftledger.client.ClientFixtures;
import io.pbftledger.client.StandInReplicas;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.crypto.Ed25519;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code client submit} and {@code client get} for a client an admin added after membership.yml was
 * written: accepted once f+1 stand-in replicas report its key, refused in one line when they deny it,
 * never on one replica's word.
 */
class AdminAddedClientCliTest {
    private static final Ed25519.PrivateKey ADDED_KEY = ClientFixtures.key(70);
    private static final ClientIdentity ADDED = new ClientIdentity("client-7", ClientFixtures.CHAIN_ID, ADDED_KEY);
    /** What the stand-ins of AdminAddedClientFixtures committed: client-7's nonce 5 writing greeting. */
    private static final String TX_ID = ADDED.sign(5, "greeting", "{\"text\":\"hi\"}").txId().hex();

    @TempDir
    Path dir;

    private CliRun run(StandInReplicas replicas, String command, String... extra) {
        MembershipFile.write(dir.resolve("membership.yml"), replicas.membership());
        Path identity = dir.resolve("client-7.key");
        if (!identity.toFile().exists()) {
            KeyFiles.writeClientIdentity(identity, ADDED);
        }
        List<String> args = new ArrayList<>(List.of("client", command, "--membership", dir.resolve("membership.yml").toString(),
                "--identity", identity.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static StandInReplicas.Behaviour reporting(int id, Ed25519.PublicKey key) {
        return AdminAddedClientFixtures.replica(id, key);
    }

    @Test
    void anAdminAddedClientSubmitsAndGetsThroughTheCli() throws Exception {
        Ed25519.PublicKey key = ADDED_KEY.publicKey();
        try (StandInReplicas replicas = new StandInReplicas(reporting(0, key), reporting(1, key), reporting(2, null),
                reporting(3, key))) {
            CliRun submit = run(replicas, "submit", "--key", "greeting", "--payload", "{\"text\":\"hi\"}", "--nonce", "5",
                    "--wait", "--node", replicas.url(0), "--timeout-seconds", "5", "--resend-after-ms", "100");

            assertThat(submit.exitCode()).as(submit.err()).isZero();
            assertThat(submit.out()).contains("txId: " + TX_ID, "status: COMMITTED");

            CliRun get = run(replicas, "get", "--key", "greeting", "--node", replicas.url(1));

            assertThat(get.exitCode()).as(get.err()).isZero();
            assertThat(get.out()).contains("value: {\"text\":\"hi\"}", "txId: " + TX_ID, "answeredBy: 1");
            assertThat(replicas.lastHeaders(1, "proof").getFirst("X-Ledger-Client")).isEqualTo("client-7");
        }
    }

    @Test
    void aRevokedClientIsRefusedInOneLineAndSubmitsNothing() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(reporting(0, null), reporting(1, null), reporting(2, null),
                reporting(3, null))) {
            CliRun submit = run(replicas, "submit", "--payload", "{\"n\":1}", "--wait");

            assertThat(submit.exitCode()).isEqualTo(1);
            assertThat(submit.out()).isEmpty();
            assertThat(submit.errLines()).containsExactly("pbft-ledger client submit: client 'client-7' is not a member "
                    + "of chain client-test with this key: replicas [0, 1, 2, 3] deny it (revoked, or never added); "
                    + "0 of the f+1 = 2 replicas needed report its key");
            for (int i = 0; i < 4; i++) {
                assertThat(replicas.calls(i, "submit")).isZero();
            }
        }
    }

    @Test
    void oneLyingReplicaCannotVouchForTheClient() throws Exception {
        try (StandInReplicas replicas = new StandInReplicas(reporting(0, ADDED_KEY.publicKey()), reporting(1, null),
                reporting(2, null), reporting(3, null))) {
            CliRun submit = run(replicas, "submit", "--payload", "{\"n\":1}");

            assertThat(submit.exitCode()).isEqualTo(1);
            assertThat(submit.errLines()).singleElement().asString()
                    .contains("replicas [1, 2, 3] deny it").contains("1 of the f+1 = 2 replicas needed report its key");
            assertThat(replicas.calls(0, "submit")).isZero();
        }
    }
}
