package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.cli.OneReplica;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.web.ProblemType;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /api/v1/chain/verify on a real replica (Tomcat, random port, reads open as by default): it
 * re-verifies the chain, so only an admin may ask (one at a time and incrementally: ChainAuditorTest).
 */
class ChainVerifyAccessHttpTest {
    private static final String VERIFY = "/api/v1/chain/verify";

    @TempDir
    static Path dir;
    private static OneReplica replica;

    @BeforeAll
    static void start() {
        replica = OneReplica.start(dir);
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    private static OneReplica.Raw signedBy(String client) throws Exception {
        ClientIdentity identity = KeyFiles.loadClientIdentity(replica.keys.resolve("clients/" + client + ".key"));
        long now = System.currentTimeMillis();
        return replica.send("GET", VERIFY, null, ReadRequestSignature.CLIENT_HEADER + ": " + identity.clientId(),
                ReadRequestSignature.TIMESTAMP_HEADER + ": " + now,
                ReadRequestSignature.SIGNATURE_HEADER + ": " + ReadRequestSignature.sign(identity, "GET", VERIFY, now));
    }

    @Test
    void anAnonymousCallerCannotMakeTheReplicaReverifyItsChain() throws Exception {
        OneReplica.Raw r = replica.send("GET", VERIFY, null);

        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.isProblem(ProblemType.UNAUTHORIZED)).as(r.body()).isTrue();
        assertThat(r.body()).contains("admin role");
    }

    @Test
    void aReaderWithoutTheAdminRoleIsRefused() throws Exception {
        OneReplica.Raw r = signedBy("client-1");

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.isProblem(ProblemType.FORBIDDEN)).as(r.body()).isTrue();
        assertThat(r.body()).contains("client 'client-1' lacks the admin role");
    }

    @Test
    void anAdminGetsTheVerification() throws Exception {
        OneReplica.Raw r = signedBy("client-0");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"valid\":true");
    }
}
