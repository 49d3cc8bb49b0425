package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pbftledger.cli.OneReplica;
import io.pbftledger.config.StartupCheckException;
import io.pbftledger.web.ProblemType;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo signer on a real replica (Tomcat, random port, loopback, keygen's client-0 is the admin):
 * whoever reaches it may submit data, never act as an admin or touch a reserved key; and a replica
 * does not start the signer where others can reach it.
 */
class DemoSignerExposureHttpTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    @TempDir
    static Path refusedDir;
    private static OneReplica demo;

    @BeforeAll
    static void start() {
        demo = OneReplica.start(dir, "ledger.demo.enabled=true",
                "ledger.demo.identities-dir=" + dir.resolve("keys/clients").toAbsolutePath());
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    private static JsonNode forbidden(OneReplica.Raw r) {
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.isProblem(ProblemType.FORBIDDEN)).as(r.body()).isTrue();
        return JSON.readTree(r.body().substring(r.body().indexOf('{')));
    }

    @Test
    void theDemoSignerRefusesToSignAsAnAdmin() throws Exception {
        OneReplica.Raw r = demo.send("POST", "/api/v1/demo/sign", "{\"clientId\":\"client-0\",\"key\":\"k\",\"payload\":{}}");

        assertThat(forbidden(r).get("detail").asString())
                .startsWith("the demo signer never signs as 'client-0', a client with the admin role");
    }

    @Test
    void theDemoSignerRefusesReservedKeysForEveryClient() throws Exception {
        String op = "{\"op\":\"add\",\"clientId\":\"mallory\",\"publicKey\":\"AAAA\",\"roles\":[\"admin\"]}";
        for (String client : new String[] {"client-1", "client-2"}) {
            OneReplica.Raw r = demo.send("POST", "/api/v1/demo/sign",
                    "{\"clientId\":\"" + client + "\",\"key\":\"ledger:membership\",\"payload\":" + op + "}");

            assertThat(forbidden(r).get("detail").asString()).startsWith("the demo signer never signs reserved keys");
        }
    }

    @Test
    void withoutAClientTheDemoSignsAsTheFirstClientThatIsNoAdmin() throws Exception {
        OneReplica.Raw r = demo.send("POST", "/api/v1/demo/sign", "{\"key\":\"greeting\",\"payload\":{\"hi\":1}}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"clientId\":\"client-1\"");
    }

    @Test
    void aReplicaWithTheDemoSignerRefusesToListenOnEveryInterface() {
        Throwable failure = catchThrowable(() -> OneReplica.start(refusedDir.resolve("all"), "server.address=0.0.0.0",
                "ledger.demo.enabled=true", "ledger.demo.identities-dir=" + refusedDir.resolve("all/keys/clients").toAbsolutePath()));

        assertThat(startupCheck(failure)).as("started, or failed otherwise: %s", failure)
                .hasMessageContaining("ledger.demo.enabled=true needs server.address on a loopback address").hasMessageContaining("0.0.0.0");
    }

    @Test
    void aReplicaWithTheDemoSignerRefusesTls() {
        Throwable failure = catchThrowable(() -> OneReplica.startTls(refusedDir.resolve("tls"), "ledger.demo.enabled=true",
                "ledger.demo.identities-dir=" + refusedDir.resolve("tls/keys/clients").toAbsolutePath()));

        assertThat(startupCheck(failure)).as("started, or failed otherwise: %s", failure)
                .hasMessageContaining("ledger.demo.enabled=true together with ledger.tls.enabled=true");
    }

    /** The StartupCheckException in {@code failure}'s causes (null when there is none). */
    private static Throwable startupCheck(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupCheckException) {
                return t;
            }
        }
        return null;
    }
}
