package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.OneReplica;
import io.pbftledger.cli.TransactionJson;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.web.ProblemType;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-request limit behind a proxy, on real replicas (Tomcat, random port, raw HTTP from
 * 127.0.0.1): X-Forwarded-For names the client only when the connection comes from a trusted proxy,
 * so one client's bad requests lock out that client, not everyone behind the proxy; and a valid
 * signed submission is accepted from an address whose limit is spent.
 */
@Timeout(120)
class ProxiedClientsHttpTest {
    private static final String ATTACKER = "203.0.113.7";
    private static final String NEIGHBOUR = "198.51.100.2";

    @TempDir
    static Path proxiedDir;
    @TempDir
    static Path directDir;
    /** Trusts 127.0.0.1 as a proxy. */
    private static OneReplica proxied;
    /** Trusts no proxy. */
    private static OneReplica direct;

    @BeforeAll
    static void start() {
        String[] limit = {"ledger.api.rate-limit.bad-requests-per-second-per-ip=1",
                "ledger.api.rate-limit.bad-requests-burst-per-ip=2"};
        proxied = OneReplica.start(proxiedDir, limit[0], limit[1], "ledger.api.trusted-proxies=10.1.0.0/16,127.0.0.1/32");
        direct = OneReplica.start(directDir, limit[0], limit[1]);
    }

    @AfterAll
    static void stop() {
        for (OneReplica r : new OneReplica[] {proxied, direct}) {
            if (r != null) {
                r.close();
            }
        }
    }

    private static String from(String address) {
        return "X-Forwarded-For: " + address;
    }

    /** Eight unsigned garbage submissions: the address's bucket (burst 2, 1 per second) is spent for seconds. */
    private static void spend(OneReplica replica, String... headers) throws Exception {
        for (int i = 0; i < 8; i++) {
            replica.send("POST", "/api/v1/transactions", "not json", headers);
        }
    }

    private static String signedSubmission(OneReplica replica, long nonce) throws Exception {
        ClientIdentity client = KeyFiles.loadClientIdentity(replica.keys.resolve("clients/client-1.key"));
        return TransactionJson.body(Transaction.sign(client.chainId(), client.clientId(), nonce, "k",
                "{\"n\":" + nonce + "}", client.privateKey()));
    }

    @Test
    void behindATrustedProxyOneClientsBadRequestsLockOutThatClientOnly() throws Exception {
        spend(proxied, from(ATTACKER));

        OneReplica.Raw attacker = proxied.send("GET", "/api/v1/blocks/latest", null, from(ATTACKER));
        OneReplica.Raw neighbour = proxied.send("GET", "/api/v1/blocks/latest", null, from(NEIGHBOUR));
        // A chain of proxies: the client is the rightmost address that is not a trusted proxy.
        OneReplica.Raw viaTwoProxies = proxied.send("GET", "/api/v1/blocks/latest", null,
                from(NEIGHBOUR + ", " + ATTACKER + ", 10.1.2.3"));

        assertThat(attacker.status()).as(attacker.body()).isEqualTo(429);
        assertThat(attacker.isProblem(ProblemType.RATE_LIMITED)).as(attacker.body()).isTrue();
        assertThat(attacker.body()).contains("too many refused requests from " + ATTACKER);
        assertThat(neighbour.status()).as("another client behind the same proxy: %s", neighbour.body()).isEqualTo(200);
        assertThat(viaTwoProxies.status()).as(viaTwoProxies.body()).isEqualTo(429);
    }

    @Test
    void forwardedHeadersFromAPeerThatIsNoTrustedProxyAreIgnored() throws Exception {
        spend(direct, from("192.0.2.1"));

        OneReplica.Raw other = direct.send("GET", "/api/v1/blocks/latest", null, from("192.0.2.99"));

        assertThat(other.status()).as(other.body()).isEqualTo(429);
        assertThat(other.body()).contains("too many refused requests from 127.0.0.1");
    }

    @Test
    void aValidSignedSubmissionIsAcceptedFromAnAddressWhoseLimitIsSpent() throws Exception {
        spend(direct);
        OneReplica.Raw read = direct.send("GET", "/api/v1/blocks/latest", null);
        OneReplica.Raw garbage = direct.send("POST", "/api/v1/transactions", "{\"not\":\"a transaction\"}");

        OneReplica.Raw signed = direct.send("POST", "/api/v1/transactions", signedSubmission(direct, 7));
        OneReplica.Raw batch = direct.send("POST", "/api/v1/transactions/batch", "[" + signedSubmission(direct, 8) + "]");

        assertThat(read.status()).as("the limit is in force: %s", read.body()).isEqualTo(429);
        assertThat(garbage.status()).as("unsigned submissions still get the limit: %s", garbage.body()).isEqualTo(429);
        assertThat(garbage.isProblem(ProblemType.RATE_LIMITED)).as(garbage.body()).isTrue();
        assertThat(garbage.head()).containsIgnoringCase("Retry-After:");
        assertThat(signed.status()).as(signed.body()).isEqualTo(202);
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.body()).contains("\"status\":\"ACCEPTED\"");
    }
}
